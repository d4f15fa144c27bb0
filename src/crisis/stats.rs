//! Tail probabilities for the detectors: "how likely is at least this many by chance?"

/// `ln(n!)` by summing logs for small `n` and Stirling's series beyond.
fn ln_factorial(n: u64) -> f64 {
    if n < 64 {
        return (2..=n).map(|k| (k as f64).ln()).sum();
    }
    let x = n as f64;
    x * x.ln() - x + 0.5 * (2.0 * std::f64::consts::PI * x).ln() + 1.0 / (12.0 * x)
        - 1.0 / (360.0 * x * x * x)
}

/// `P(X >= k)` for `X ~ Poisson(lambda)`. Summed upwards from `k` in log space, which stays
/// accurate for the tiny tails that matter here (1e-6 and below).
pub fn poisson_tail(k: u64, lambda: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if lambda <= 0.0 {
        return 0.0;
    }
    let ln_pmf = |i: u64| -lambda + i as f64 * lambda.ln() - ln_factorial(i);
    if (k as f64) <= lambda {
        // The bulk is at or above k: 1 - P(X < k) is accurate enough.
        let below: f64 = (0..k).map(|i| ln_pmf(i).exp()).sum();
        return (1.0 - below).clamp(0.0, 1.0);
    }
    let mut sum = 0.0;
    let mut i = k;
    loop {
        let term = ln_pmf(i).exp();
        sum += term;
        if term < sum * 1e-12 || i > k + 10_000 {
            break;
        }
        i += 1;
    }
    sum.min(1.0)
}

/// `P(X >= k)` for `X ~ Binomial(n, p)`.
pub fn binomial_tail(k: u64, n: u64, p: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if k > n || p <= 0.0 {
        return 0.0;
    }
    if p >= 1.0 {
        return 1.0;
    }
    let ln_choose = |i: u64| ln_factorial(n) - ln_factorial(i) - ln_factorial(n - i);
    let sum: f64 = (k..=n)
        .map(|i| (ln_choose(i) + i as f64 * p.ln() + (n - i) as f64 * (1.0 - p).ln()).exp())
        .sum();
    sum.min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs().max(1e-300)
    }

    #[test]
    fn poisson_tail_matches_known_values() {
        // P(X >= 1 | 2) = 1 - e^-2
        assert!(close(poisson_tail(1, 2.0), 1.0 - (-2.0f64).exp(), 1e-9));
        // P(X >= 6 | 2) = 0.016563608 (tables)
        assert!(close(poisson_tail(6, 2.0), 0.016_563_608, 1e-6));
        // P(X >= 20 | 2) = e^-2 2^20 / 20! (1 + 2/21 + ...) ≈ 6.44e-14
        let tiny = poisson_tail(20, 2.0);
        assert!(close(tiny, 6.4437e-14, 1e-3), "{tiny}");
        assert_eq!(poisson_tail(0, 5.0), 1.0);
        assert_eq!(poisson_tail(3, 0.0), 0.0);
        assert!(close(poisson_tail(100, 100.0), 0.513_298_8, 1e-4));
    }

    #[test]
    fn binomial_tail_matches_known_values() {
        // P(X >= 8 | 10, 0.5) = 56/1024
        assert!(close(binomial_tail(8, 10, 0.5), 56.0 / 1024.0, 1e-9));
        assert_eq!(binomial_tail(11, 10, 0.5), 0.0);
        assert_eq!(binomial_tail(0, 10, 0.5), 1.0);
    }
}
