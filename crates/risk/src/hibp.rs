//! Reading lists in Have I Been Pwned's "Pwned Passwords" format.

use std::io::{BufRead, BufReader, Read};

use crate::breach::sha1_key;
use crate::error::{Error, Result};

/// The longest line accepted: 40 hex digits, `:`, a 20-digit count, `\r\n`.
const MAX_LINE: u64 = 64;

/// The filter keys of every line of `reader` (`SHA1HEX` or `SHA1HEX:count`).
pub(crate) fn read_keys<R: Read>(reader: R) -> Result<Vec<u64>> {
    let mut reader = BufReader::new(reader);
    let mut keys = Vec::new();
    let mut line = Vec::with_capacity(MAX_LINE as usize);
    let mut number = 0u64;
    loop {
        line.clear();
        let read = reader
            .by_ref()
            .take(MAX_LINE + 1)
            .read_until(b'\n', &mut line)?;
        if read == 0 {
            break;
        }
        number += 1;
        let ends_line = line.last() == Some(&b'\n');
        if !ends_line && read as u64 > MAX_LINE {
            return Err(Error::MalformedHibpLine { line: number });
        }
        let text = trim_line_end(&line);
        if text.is_empty() {
            continue;
        }
        let sha1 = parse_line(text).ok_or(Error::MalformedHibpLine { line: number })?;
        keys.push(sha1_key(&sha1));
    }
    Ok(keys)
}

fn trim_line_end(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// `SHA1HEX` or `SHA1HEX:count` → the 20 bytes.
fn parse_line(text: &[u8]) -> Option<[u8; 20]> {
    let (hex, count) = match text.iter().position(|&b| b == b':') {
        Some(colon) => (text.get(..colon)?, Some(text.get(colon + 1..)?)),
        None => (text, None),
    };
    if let Some(count) = count
        && (count.is_empty() || !count.iter().all(u8::is_ascii_digit))
    {
        return None;
    }
    if hex.len() != 40 {
        return None;
    }
    let mut out = [0u8; 20];
    for (byte, pair) in out.iter_mut().zip(hex.chunks_exact(2)) {
        let [hi, lo] = pair else { return None };
        *byte = (nibble(*hi)? << 4) | nibble(*lo)?;
    }
    Some(out)
}

fn nibble(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASSWORD: &str = "5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8";

    #[test]
    fn both_forms_and_cases_parse() {
        let upper = parse_line(PASSWORD.as_bytes()).unwrap();
        let lower = parse_line(PASSWORD.to_ascii_lowercase().as_bytes()).unwrap();
        let counted = parse_line(format!("{PASSWORD}:10437277").as_bytes()).unwrap();
        assert_eq!(upper, lower);
        assert_eq!(upper, counted);
        assert_eq!(upper[0], 0x5B);
    }

    #[test]
    fn malformed_lines_are_refused() {
        for bad in [
            &PASSWORD[..39],
            &format!("{PASSWORD}0"),
            &format!("{PASSWORD}:"),
            &format!("{PASSWORD}:12a"),
            &format!("{PASSWORD}:-1"),
            &format!("{}G", &PASSWORD[..39]),
            "password",
            &format!(" {PASSWORD}"),
        ] {
            assert_eq!(parse_line(bad.as_bytes()), None, "{bad}");
        }
    }

    #[test]
    fn blank_lines_and_crlf_are_accepted() {
        let list = format!("\n{PASSWORD}:3\r\n\r\n{}\n", PASSWORD.to_ascii_lowercase());
        assert_eq!(read_keys(list.as_bytes()).unwrap().len(), 2);
        assert_eq!(read_keys(&b""[..]).unwrap(), Vec::<u64>::new());
        assert_eq!(
            read_keys(PASSWORD.as_bytes()).unwrap().len(),
            1,
            "no final newline"
        );
    }

    #[test]
    fn errors_name_the_line_not_its_text() {
        let list = format!("{PASSWORD}\nletmein\n");
        let err = read_keys(list.as_bytes()).unwrap_err();
        assert_eq!(err, Error::MalformedHibpLine { line: 2 });
        assert!(!err.to_string().contains("letmein"));
    }

    #[test]
    fn overlong_lines_are_refused_without_buffering_them() {
        let list = format!("{PASSWORD}\n{}", "A".repeat(10_000));
        assert_eq!(
            read_keys(list.as_bytes()).unwrap_err(),
            Error::MalformedHibpLine { line: 2 }
        );
        let exactly_max = format!("{PASSWORD}:{}\r\n", "1".repeat(21));
        assert_eq!(exactly_max.len() as u64, MAX_LINE);
        assert_eq!(read_keys(exactly_max.as_bytes()).unwrap().len(), 1);
    }

    #[test]
    fn read_errors_are_reported() {
        struct Failing;
        impl Read for Failing {
            fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
                Err(std::io::ErrorKind::PermissionDenied.into())
            }
        }
        assert_eq!(
            read_keys(Failing).unwrap_err(),
            Error::Io(std::io::ErrorKind::PermissionDenied)
        );
    }
}
