//! The offer/answer exchange between a participant and the media server, and its ICE
//! candidates: in order, or refused with nothing changed.

use sis_proto::meeting::IceCandidate;

use crate::ids::Login;

use super::{MAX_SDP_BYTES, MediaCommand, Outcome, Output, Room, RoomError, Signal};

impl Room {
    pub(super) fn client_offer(&mut self, login: Login, sdp: String) -> Outcome {
        check_sdp(&sdp)?;
        let m = self.member(&login);
        match m.signal {
            Signal::Stable => {}
            Signal::ClientOffered => {
                return Err(RoomError::OutOfOrder(
                    "Your previous offer is still being answered.",
                ));
            }
            Signal::ServerOffered => {
                return Err(RoomError::OutOfOrder(
                    "Answer the node's offer before offering again.",
                ));
            }
        }
        m.signal = Signal::ClientOffered;
        Ok(vec![Output::Media(MediaCommand::Offer { login, sdp })])
    }

    pub(super) fn client_answer(&mut self, login: Login, sdp: String) -> Outcome {
        check_sdp(&sdp)?;
        let m = self.member(&login);
        if m.signal != Signal::ServerOffered {
            return Err(RoomError::OutOfOrder(
                "There is no offer from the node to answer.",
            ));
        }
        m.signal = Signal::Stable;
        m.negotiated = true;
        Ok(vec![Output::Media(MediaCommand::Answer { login, sdp })])
    }

    pub(super) fn client_candidate(&mut self, login: Login, candidate: IceCandidate) -> Outcome {
        if candidate.candidate.len() > 1024 {
            return Err(RoomError::Invalid {
                field: "candidate",
                reason: "longer than 1024 bytes",
            });
        }
        let m = self.member(&login);
        if !m.negotiated && m.signal == Signal::Stable {
            return Err(RoomError::OutOfOrder("Send an offer before candidates."));
        }
        Ok(vec![Output::Media(MediaCommand::Candidate {
            login,
            candidate,
        })])
    }
}

fn check_sdp(sdp: &str) -> Result<(), RoomError> {
    if sdp.trim().is_empty() {
        return Err(RoomError::Invalid {
            field: "sdp",
            reason: "is empty",
        });
    }
    if sdp.len() > MAX_SDP_BYTES {
        return Err(RoomError::Invalid {
            field: "sdp",
            reason: "is longer than 32 KiB",
        });
    }
    Ok(())
}
