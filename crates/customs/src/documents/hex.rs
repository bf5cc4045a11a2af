//! Lower-case hexadecimal, the one spelling of digests and UUIDs in documents.

/// Decodes exactly `2 * N` lower-case hexadecimal digits.
pub(super) fn decode<const N: usize>(digits: &[u8]) -> Option<[u8; N]> {
    let nibble = |b: u8| match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        _ => None,
    };
    if digits.len() != 2 * N {
        return None;
    }
    let mut bytes = [0u8; N];
    for (byte, pair) in bytes.iter_mut().zip(digits.chunks_exact(2)) {
        *byte = (nibble(pair[0])? << 4) | nibble(pair[1])?;
    }
    Some(bytes)
}

#[cfg(test)]
mod tests {
    #[test]
    fn decodes_only_lower_case_pairs() {
        assert_eq!(super::decode::<2>(b"0aff"), Some([0x0a, 0xff]));
        assert_eq!(super::decode::<2>(b"0AFF"), None);
        assert_eq!(super::decode::<2>(b"0af"), None);
        assert_eq!(super::decode::<1>(b"0g"), None);
    }
}
