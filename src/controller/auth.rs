//! The admin token: mutations need it when one is set.

use subtle::ConstantTimeEq;

/// Compares a presented token with the expected one in constant time
/// (for equal lengths; a length mismatch fails at once).
pub fn tokens_match(presented: &str, expected: &str) -> bool {
    presented.len() == expected.len() && bool::from(presented.as_bytes().ct_eq(expected.as_bytes()))
}

/// The token a request presents: `Authorization: Bearer <t>` or `X-API-Key: <t>`.
pub fn presented_token(headers: &axum::http::HeaderMap) -> Option<&str> {
    if let Some(bearer) = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
    {
        return Some(bearer.trim());
    }
    headers.get("x-api-key").and_then(|v| v.to_str().ok()).map(str::trim)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_only_the_same_token() {
        assert!(tokens_match("s3cret", "s3cret"));
        assert!(!tokens_match("s3cres", "s3cret"));
        assert!(!tokens_match("s3cre", "s3cret"));
        assert!(!tokens_match("", "s3cret"));
    }

    #[test]
    fn reads_bearer_and_api_key() {
        let mut h = axum::http::HeaderMap::new();
        assert_eq!(presented_token(&h), None);
        h.insert("x-api-key", "k1".parse().unwrap());
        assert_eq!(presented_token(&h), Some("k1"));
        h.insert("authorization", "Bearer k2".parse().unwrap());
        assert_eq!(presented_token(&h), Some("k2"));
    }
}
