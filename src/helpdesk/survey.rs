//! Satisfaction survey links: `/survey/{token}?score=1..5`, where the token is the ticket id
//! and an HMAC-SHA256 of it under the survey secret (`VIGIA_...` env). A token cannot be
//! forged without the secret, nor moved to another ticket (the id is what is signed).

use crate::signature;

#[derive(Clone)]
pub struct SurveySigner {
    secret: Vec<u8>,
}

impl std::fmt::Debug for SurveySigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SurveySigner(..)")
    }
}

fn message(ticket_id: i64) -> String {
    format!("vigia-csat:{ticket_id}")
}

impl SurveySigner {
    pub fn new(secret: &str) -> SurveySigner {
        SurveySigner {
            secret: secret.as_bytes().to_vec(),
        }
    }

    /// The token of a ticket's survey link.
    pub fn token(&self, ticket_id: i64) -> String {
        let sig = signature::sign(&self.secret, message(ticket_id).as_bytes());
        let hex = sig.trim_start_matches("sha256=");
        format!("{ticket_id}.{hex}")
    }

    /// The ticket a token was issued for, if the signature is valid.
    pub fn verify(&self, token: &str) -> Option<i64> {
        let (id, hex) = token.split_once('.')?;
        let ticket_id: i64 = id.parse().ok().filter(|v: &i64| *v > 0)?;
        let header = format!("sha256={hex}");
        signature::verify(&self.secret, message(ticket_id).as_bytes(), Some(&header))
            .then_some(ticket_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_bind_the_ticket_and_the_secret() {
        let s = SurveySigner::new("secret-1");
        let t = s.token(42);
        assert_eq!(s.verify(&t), Some(42));
        // The same signature on another ticket id is rejected.
        let moved = t.replacen("42.", "43.", 1);
        assert_eq!(s.verify(&moved), None);
        // Another secret cannot verify it, nor can it mint a valid one.
        assert_eq!(SurveySigner::new("secret-2").verify(&t), None);
        assert_eq!(s.verify(&SurveySigner::new("guess").token(42)), None);
        for junk in ["", "42", "42.", "x.00", "-1.ab", "42.zz"] {
            assert_eq!(s.verify(junk), None, "{junk}");
        }
    }
}
