//! The character sets a `UNB` may declare (S001, data element 0001), and how each turns
//! bytes into text and back.
//!
//! Done here rather than by the tokenising library, because none of what is needed here
//! is what it offers: it reads `UNOA` and `UNOB` as plain ASCII instead of refusing what
//! lies outside their repertoires, does not know `UNOW`, and reports a character it
//! cannot encode by byte offset where we name the segment, element and component.

use std::borrow::Cow;
use std::fmt;

/// A character set named by the syntax identifier of the `UNB` (`UNOC` in `UNOC:3`).
///
/// All of them agree with ASCII on the bytes `0x00..=0x7F`, which is why the separators
/// can be found before the text is decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Charset {
    /// `UNOA`, ISO 9735 level A: capital letters, digits, space and
    /// `. , - ( ) / = ' + : ? ! " % & * ; < >`.
    UnoA,
    /// `UNOB`, level B: level A and the small letters.
    UnoB,
    /// `UNOC`, ISO 8859-1 (Latin-1): each byte is the code point of the same value.
    UnoC,
    /// `UNOE`, ISO 8859-5 (Latin/Cyrillic), the set of Russian-language interchanges.
    UnoE,
    /// `UNOW`, ISO 10646 in UTF-8 (syntax version 4).
    UnoW,
    /// `UNOY`, ISO 10646 without code extension; read and written as UTF-8.
    UnoY,
}

/// ISO 9735 level A punctuation, besides capital letters, digits and space.
const LEVEL_A_PUNCTUATION: &[u8] = b".,-()/='+:?!\"%&*;<>";

/// ISO 8859-5: the code points of the bytes `0xA0..=0xFF`. Below `0xA0` a byte is the
/// code point of the same value (ASCII, then the C1 controls).
///
/// Not simply `0xA1 + n → U+0401 + n`: three bytes hold other characters, the soft
/// hyphen (`0xAD`), the numero sign (`0xF0`) and the section sign (`0xFD`), where the
/// Cyrillic block has `U+040D` and `U+045D`, which 8859-5 leaves out, and `U+0450`.
#[rustfmt::skip]
const UNOE_HIGH: [u16; 96] = [
    // 0xA0: no-break space, Ё Ђ Ѓ Є Ѕ І Ї Ј Љ Њ Ћ Ќ, soft hyphen, Ў Џ
    0x00A0, 0x0401, 0x0402, 0x0403, 0x0404, 0x0405, 0x0406, 0x0407,
    0x0408, 0x0409, 0x040A, 0x040B, 0x040C, 0x00AD, 0x040E, 0x040F,
    // 0xB0: А Б В Г Д Е Ж З И Й К Л М Н О П
    0x0410, 0x0411, 0x0412, 0x0413, 0x0414, 0x0415, 0x0416, 0x0417,
    0x0418, 0x0419, 0x041A, 0x041B, 0x041C, 0x041D, 0x041E, 0x041F,
    // 0xC0: Р С Т У Ф Х Ц Ч Ш Щ Ъ Ы Ь Э Ю Я
    0x0420, 0x0421, 0x0422, 0x0423, 0x0424, 0x0425, 0x0426, 0x0427,
    0x0428, 0x0429, 0x042A, 0x042B, 0x042C, 0x042D, 0x042E, 0x042F,
    // 0xD0: а б в г д е ж з и й к л м н о п
    0x0430, 0x0431, 0x0432, 0x0433, 0x0434, 0x0435, 0x0436, 0x0437,
    0x0438, 0x0439, 0x043A, 0x043B, 0x043C, 0x043D, 0x043E, 0x043F,
    // 0xE0: р с т у ф х ц ч ш щ ъ ы ь э ю я
    0x0440, 0x0441, 0x0442, 0x0443, 0x0444, 0x0445, 0x0446, 0x0447,
    0x0448, 0x0449, 0x044A, 0x044B, 0x044C, 0x044D, 0x044E, 0x044F,
    // 0xF0: numero sign, ё ђ ѓ є ѕ і ї ј љ њ ћ ќ, section sign, ў џ
    0x2116, 0x0451, 0x0452, 0x0453, 0x0454, 0x0455, 0x0456, 0x0457,
    0x0458, 0x0459, 0x045A, 0x045B, 0x045C, 0x00A7, 0x045E, 0x045F,
];

impl Charset {
    /// Every set this module knows, for tests and for messages that list them.
    pub const ALL: [Charset; 6] = [
        Charset::UnoA,
        Charset::UnoB,
        Charset::UnoC,
        Charset::UnoE,
        Charset::UnoW,
        Charset::UnoY,
    ];

    /// The set a syntax identifier names, or `None` for one this module does not read
    /// (`UNOD`, `UNOX`, …).
    pub fn from_identifier(identifier: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|charset| charset.identifier() == identifier)
    }

    /// The syntax identifier: `"UNOC"`.
    pub const fn identifier(self) -> &'static str {
        match self {
            Charset::UnoA => "UNOA",
            Charset::UnoB => "UNOB",
            Charset::UnoC => "UNOC",
            Charset::UnoE => "UNOE",
            Charset::UnoW => "UNOW",
            Charset::UnoY => "UNOY",
        }
    }

    /// Whether the set can hold `character`.
    pub fn contains(self, character: char) -> bool {
        let mut scratch = [0; 4];
        self.encode_char(character, &mut scratch).is_some()
    }

    /// Decodes the bytes of one segment. On failure, gives the offset of the first byte
    /// the set does not hold (or, for UTF-8, the first byte of an invalid sequence).
    ///
    /// `UNOA` and `UNOB` are only checked here for being ASCII: their repertoire is a
    /// matter of the values, checked after the release characters are resolved, when
    /// the fault can be named by element and component.
    pub fn decode(self, bytes: &[u8]) -> Result<Cow<'_, str>, usize> {
        match self {
            Charset::UnoA | Charset::UnoB => match bytes.iter().position(|b| !b.is_ascii()) {
                Some(offset) => Err(offset),
                // ASCII is UTF-8; the error branch cannot be taken.
                None => std::str::from_utf8(bytes)
                    .map(Cow::Borrowed)
                    .map_err(|e| e.valid_up_to()),
            },
            Charset::UnoW | Charset::UnoY => std::str::from_utf8(bytes)
                .map(Cow::Borrowed)
                .map_err(|e| e.valid_up_to()),
            Charset::UnoC => Ok(bytes.iter().map(|&b| char::from(b)).collect()),
            Charset::UnoE => Ok(bytes.iter().map(|&b| unoe_char(b)).collect()),
        }
    }

    /// Whether a decoded value is within the repertoire. Only `UNOA` and `UNOB` can
    /// fail here: every character the other sets decode to is one they hold.
    /// Gives the first character outside.
    pub fn first_outside(self, text: &str) -> Option<char> {
        match self {
            Charset::UnoA | Charset::UnoB => text.chars().find(|&c| !self.contains(c)),
            _ => None,
        }
    }

    /// Encodes one character into `buf`, giving the bytes written, or `None` when the
    /// set cannot hold it.
    pub fn encode_char(self, character: char, buf: &mut [u8; 4]) -> Option<&[u8]> {
        let byte = match self {
            Charset::UnoW | Charset::UnoY => return Some(character.encode_utf8(buf).as_bytes()),
            Charset::UnoA | Charset::UnoB => u8::try_from(character).ok().filter(|&b| {
                b.is_ascii_uppercase()
                    || b.is_ascii_digit()
                    || b == b' '
                    || LEVEL_A_PUNCTUATION.contains(&b)
                    || (self == Charset::UnoB && b.is_ascii_lowercase())
            })?,
            Charset::UnoC => u8::try_from(character).ok()?,
            Charset::UnoE => unoe_byte(character)?,
        };
        buf[0] = byte;
        Some(&buf[..1])
    }
}

impl fmt::Display for Charset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.identifier())
    }
}

/// The character of an ISO 8859-5 byte. Every byte has one.
fn unoe_char(byte: u8) -> char {
    match byte.checked_sub(0xA0) {
        None => char::from(byte),
        Some(index) => char::from_u32(u32::from(UNOE_HIGH[usize::from(index)]))
            .expect("every entry of the ISO 8859-5 table is a Unicode scalar value"),
    }
}

/// The ISO 8859-5 byte of a character, if it has one: the inverse of [`unoe_char`],
/// written as ranges so that encoding a long Russian text does not search the table.
fn unoe_byte(character: char) -> Option<u8> {
    let code = u32::from(character);
    let offset = |base: u32, first: u8| u8::try_from(code - base).ok().map(|d| first + d);
    match code {
        0x0000..=0x00A0 => u8::try_from(code).ok(),
        0x00A7 => Some(0xFD),
        0x00AD => Some(0xAD),
        0x0401..=0x040C => offset(0x0401, 0xA1),
        0x040E..=0x044F => offset(0x040E, 0xAE),
        0x0451..=0x045C => offset(0x0451, 0xF1),
        0x045E..=0x045F => offset(0x045E, 0xFE),
        0x2116 => Some(0xF0),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unoe_is_a_bijection_between_bytes_and_its_characters() {
        let mut buf = [0; 4];
        for byte in 0..=u8::MAX {
            let character = unoe_char(byte);
            assert_eq!(
                Charset::UnoE.encode_char(character, &mut buf),
                Some(&[byte][..]),
                "byte 0x{byte:02X} decodes to {character:?}, which must encode back to it"
            );
        }
    }

    #[test]
    fn unoe_places_the_russian_alphabet_where_iso_8859_5_does() {
        let capitals: String = (0xB0..=0xCF).map(unoe_char).collect();
        assert_eq!(capitals, "АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ");
        let small: String = (0xD0..=0xEF).map(unoe_char).collect();
        assert_eq!(small, "абвгдежзийклмнопрстуфхцчшщъыьэюя");
        assert_eq!(unoe_char(0xA1), 'Ё');
        assert_eq!(unoe_char(0xF1), 'ё');
        assert_eq!(unoe_char(0xA6), 'І', "Kazakh and Ukrainian І");
        assert_eq!(unoe_char(0xF0), '№');
        assert_eq!(unoe_char(0xFD), '§');
        assert_eq!(unoe_char(0xAD), '\u{AD}');
    }

    #[test]
    fn unoe_refuses_what_8859_5_lacks() {
        let mut buf = [0; 4];
        for character in [
            'Қ', 'Ә', 'Ө', 'Ү', 'Ұ', 'Ғ', 'Ң', 'Һ', 'é', '€', '\u{40D}', '\u{450}',
        ] {
            assert_eq!(
                Charset::UnoE.encode_char(character, &mut buf),
                None,
                "{character:?} is not in ISO 8859-5"
            );
        }
    }

    #[test]
    fn level_a_and_b_repertoires() {
        assert!(Charset::UnoA.contains('A'));
        assert!(Charset::UnoA.contains('\''));
        assert!(!Charset::UnoA.contains('a'), "level A has no small letters");
        assert!(!Charset::UnoA.contains('@'));
        assert!(Charset::UnoB.contains('a'));
        assert!(!Charset::UnoB.contains('é'));
        assert!(!Charset::UnoB.contains('\n'));
        assert_eq!(Charset::UnoA.first_outside("ABC def"), Some('d'));
        assert_eq!(Charset::UnoB.first_outside("ABC def"), None);
    }

    #[test]
    fn unoc_is_latin_1() {
        assert_eq!(Charset::UnoC.decode(b"M\xFCller").as_deref(), Ok("Müller"));
        let mut buf = [0; 4];
        assert_eq!(Charset::UnoC.encode_char('ÿ', &mut buf), Some(&[0xFF][..]));
        assert_eq!(Charset::UnoC.encode_char('Ā', &mut buf), None);
    }

    #[test]
    fn utf_8_sets_refuse_broken_sequences() {
        assert_eq!(Charset::UnoY.decode(b"ok\xC3").map(|_| ()), Err(2));
        assert_eq!(Charset::UnoA.decode(b"ok\xC3\xA9").map(|_| ()), Err(2));
    }

    #[test]
    fn identifiers_name_their_sets() {
        for charset in Charset::ALL {
            assert_eq!(
                Charset::from_identifier(charset.identifier()),
                Some(charset)
            );
        }
        assert_eq!(Charset::from_identifier("UNOD"), None);
        assert_eq!(Charset::from_identifier("unoc"), None);
    }
}
