//! English parity with the reference implementation `vaderSentiment==3.3.2`: every row of
//! `$VIGIA_SHARED_DATA/vader-reference/vader-3.3.2-reference.tsv` must score the same `neg`,
//! `neu`, `pos` and `compound` within 1e-4. Prints a notice and passes when `VIGIA_SHARED_DATA` is
//! unset; fails when it is set but the file is missing or has too few rows.

use std::path::PathBuf;
use vigia::analysis::sentiment::VaderEnglish;

const TOLERANCE: f64 = 1e-4;

fn reference_file() -> Option<PathBuf> {
    let Some(dir) = std::env::var_os("VIGIA_SHARED_DATA") else {
        println!("notice: VIGIA_SHARED_DATA is not set; skipping the VADER parity test");
        return None;
    };
    // Set but wrong is a failure, not a skip (the row count is checked after reading).
    let path = PathBuf::from(dir).join("vader-reference/vader-3.3.2-reference.tsv");
    assert!(
        path.is_file(),
        "VIGIA_SHARED_DATA is set but {} is missing",
        path.display()
    );
    Some(path)
}

#[test]
fn english_pack_matches_vader_3_3_2() {
    let Some(path) = reference_file() else { return };
    let data = std::fs::read_to_string(&path).expect("reference file is readable");
    let vader = VaderEnglish::new();
    let (mut rows, mut mismatches) = (0usize, Vec::new());
    for line in data.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 8, "malformed reference line: {line}");
        let want: Vec<f64> = cols[3..7].iter().map(|c| c.parse().unwrap()).collect();
        let s = vader.polarity_scores(cols[7]);
        let got = [s.neg, s.neu, s.pos, s.compound];
        rows += 1;
        if got
            .iter()
            .zip(&want)
            .any(|(g, w)| (g - w).abs() > TOLERANCE)
        {
            mismatches.push(format!(
                "{} {}: got {got:?}, want {want:?}: {}",
                cols[0], cols[1], cols[7]
            ));
        }
    }
    println!("VADER parity: {} of {rows} rows mismatch", mismatches.len());
    for m in mismatches.iter().take(10) {
        println!("  {m}");
    }
    assert!(rows > 20_000, "reference file has only {rows} rows");
    assert!(
        mismatches.is_empty(),
        "{} mismatches (first ones above)",
        mismatches.len()
    );
}
