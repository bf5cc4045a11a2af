//! Checks of a client's offer before the WebRTC stack sees it.
//!
//! The stack moves a connection to have-remote-offer first and finds most faults of an
//! offer afterwards (no ICE credentials, no DTLS fingerprint, an empty media id, a candidate
//! it cannot read), leaving the connection half-changed. These are the same checks, made
//! while nothing has changed yet. Pure functions of the parsed SDP: no connection needed.

use webrtc::Error;
use webrtc::ice::candidate::candidate_base::unmarshal_candidate;
use webrtc::sdp::SessionDescription;

/// Whether `offer` has what the stack needs to apply it: at least one media section, no
/// empty media id, one set of ICE credentials, one DTLS fingerprint of the form
/// `algorithm value`, and candidates that parse.
pub fn offer(offer: &SessionDescription) -> Result<(), Error> {
    if offer.media_descriptions.is_empty() {
        return Err(Error::new("the offer has no media section".to_owned()));
    }
    let mut ufrag = offer.attribute("ice-ufrag").map(String::as_str);
    let mut pwd = offer.attribute("ice-pwd").map(String::as_str);
    let mut fingerprint = offer.attribute("fingerprint").map(String::as_str);
    for media in &offer.media_descriptions {
        if media
            .attribute("mid")
            .is_some_and(|mid| mid.is_none_or(str::is_empty))
        {
            return Err(Error::ErrPeerConnRemoteDescriptionWithoutMidValue);
        }
        same(
            &mut ufrag,
            media.attribute("ice-ufrag").flatten(),
            Error::ErrSessionDescriptionConflictingIceUfrag,
        )?;
        same(
            &mut pwd,
            media.attribute("ice-pwd").flatten(),
            Error::ErrSessionDescriptionConflictingIcePwd,
        )?;
        same(
            &mut fingerprint,
            media.attribute("fingerprint").flatten(),
            Error::ErrSessionDescriptionConflictingFingerprints,
        )?;
        for candidate in media.attributes.iter().filter(|a| a.is_ice_candidate()) {
            if let Some(value) = &candidate.value {
                unmarshal_candidate(value)?;
            }
        }
    }
    if ufrag.is_none_or(str::is_empty) {
        return Err(Error::ErrSessionDescriptionMissingIceUfrag);
    }
    if pwd.is_none_or(str::is_empty) {
        return Err(Error::ErrSessionDescriptionMissingIcePwd);
    }
    match fingerprint {
        None => Err(Error::ErrSessionDescriptionNoFingerprint),
        Some(f) if f.split(' ').count() != 2 => Err(Error::ErrSessionDescriptionInvalidFingerprint),
        Some(_) => Ok(()),
    }
}

/// Records `found` as the value, or fails with `conflict` when it differs from one seen.
fn same<'a>(
    seen: &mut Option<&'a str>,
    found: Option<&'a str>,
    conflict: Error,
) -> Result<(), Error> {
    match (*seen, found) {
        (_, None) => Ok(()),
        (None, Some(f)) => {
            *seen = Some(f);
            Ok(())
        }
        (Some(s), Some(f)) if s == f => Ok(()),
        _ => Err(conflict),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An offer as a browser or the bots make it: audio and video, bundled.
    const GOOD: &str = "v=0\r\n\
o=- 1 2 IN IP4 127.0.0.1\r\n\
s=-\r\n\
t=0 0\r\n\
a=group:BUNDLE 0 1\r\n\
a=fingerprint:sha-256 AB:CD:EF\r\n\
m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n\
c=IN IP4 0.0.0.0\r\n\
a=mid:0\r\n\
a=ice-ufrag:abcd\r\n\
a=ice-pwd:abcdefghijklmnopqrstuvwx\r\n\
a=sendrecv\r\n\
a=rtpmap:111 opus/48000/2\r\n\
a=candidate:1 1 udp 2130706431 127.0.0.1 5000 typ host\r\n\
m=video 9 UDP/TLS/RTP/SAVPF 96\r\n\
c=IN IP4 0.0.0.0\r\n\
a=mid:1\r\n\
a=ice-ufrag:abcd\r\n\
a=ice-pwd:abcdefghijklmnopqrstuvwx\r\n\
a=sendrecv\r\n\
a=rtpmap:96 VP8/90000\r\n";

    fn check(sdp: &str) -> Result<(), Error> {
        let mut reader = std::io::Cursor::new(sdp.as_bytes());
        let parsed = SessionDescription::unmarshal(&mut reader).expect("the test SDP parses");
        offer(&parsed)
    }

    fn without(line_start: &str) -> String {
        GOOD.split_inclusive("\r\n")
            .filter(|l| !l.starts_with(line_start))
            .collect()
    }

    #[test]
    fn a_complete_offer_passes() {
        check(GOOD).unwrap();
    }

    #[test]
    fn an_offer_without_ice_credentials_fails() {
        assert_eq!(
            check(&without("a=ice-ufrag")).unwrap_err().to_string(),
            Error::ErrSessionDescriptionMissingIceUfrag.to_string()
        );
        assert_eq!(
            check(&without("a=ice-pwd")).unwrap_err().to_string(),
            Error::ErrSessionDescriptionMissingIcePwd.to_string()
        );
    }

    #[test]
    fn an_offer_without_a_fingerprint_fails() {
        assert_eq!(
            check(&without("a=fingerprint")).unwrap_err().to_string(),
            Error::ErrSessionDescriptionNoFingerprint.to_string()
        );
        let odd = GOOD.replace("sha-256 AB:CD:EF", "sha-256");
        assert!(check(&odd).is_err());
    }

    #[test]
    fn conflicting_credentials_fail() {
        let conflicting = GOOD.replacen("a=ice-ufrag:abcd", "a=ice-ufrag:wxyz", 1);
        assert_eq!(
            check(&conflicting).unwrap_err().to_string(),
            Error::ErrSessionDescriptionConflictingIceUfrag.to_string()
        );
    }

    #[test]
    fn an_empty_media_id_fails() {
        assert!(check(&GOOD.replace("a=mid:1", "a=mid:")).is_err());
    }

    #[test]
    fn an_unreadable_candidate_fails() {
        assert!(check(&GOOD.replace("typ host", "typ nonsense")).is_err());
    }

    #[test]
    fn an_offer_without_media_fails() {
        let session_only: String = GOOD.split("m=audio").next().unwrap_or_default().to_owned();
        assert!(check(&session_only).is_err());
    }
}
