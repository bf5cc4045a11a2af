//! The meetings' rules outside the live room (which is [`super::room`]): what a new
//! meeting must carry, who may be invited, who may see and end a meeting. Pure: what the
//! store knows comes in as arguments, so each rule is tested without a node.

use std::collections::BTreeSet;

use sis_proto::meeting::{Meeting, MeetingId, NewMeeting};

use crate::ids::{CountryCode, Login};
use crate::internal::access::Staff;
use crate::store::OfficerRecord;
use crate::text::{TextError, one_line};

/// Invitations one meeting may carry.
pub const MAX_INVITED: usize = 100;

/// Why a meeting request was refused; the message names the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MeetingRuleError {
    #[error(transparent)]
    Text(#[from] TextError),
    #[error("invited: at most {MAX_INVITED} officers")]
    TooManyInvited,
    #[error("invited[{index}]: {login:?} is not an active officer of this node")]
    NotAnOfficer { index: usize, login: String },
    #[error("id: must be a positive meeting number")]
    BadId,
}

/// A new meeting's checked fields, and the invitees still to be looked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft<'a> {
    pub title: &'a str,
    pub case_id: Option<&'a str>,
    pub document_id: Option<&'a str>,
    /// Each invitee once, with its place in the request (for the error), the host left
    /// out: it is in its own meeting anyway.
    pub invitees: Vec<(usize, &'a str)>,
}

/// Checks what a host asked for, before anything is looked up.
pub fn draft<'a>(req: &'a NewMeeting, host: &Login) -> Result<Draft<'a>, MeetingRuleError> {
    let title = one_line("title", &req.title, 200)?;
    let case_id = req
        .case_id
        .as_deref()
        .map(|v| one_line("case_id", v, 100))
        .transpose()?;
    let document_id = req
        .document_id
        .as_deref()
        .map(|v| one_line("document_id", v, 100))
        .transpose()?;
    if req.invited.len() > MAX_INVITED {
        return Err(MeetingRuleError::TooManyInvited);
    }
    let mut seen = BTreeSet::new();
    let invitees = req
        .invited
        .iter()
        .enumerate()
        .filter(|(_, login)| *host != **login && seen.insert(login.as_str()))
        .map(|(i, login)| (i, login.as_str()))
        .collect();
    Ok(Draft {
        title,
        case_id,
        document_id,
        invitees,
    })
}

/// Whether an account may be invited by a host of this node: an active member of the
/// node's staff, of the node's own country.
pub fn may_be_invited(account: &OfficerRecord, country: CountryCode) -> bool {
    Staff::ROLES.contains(&account.officer.role)
        && !account.officer.disabled
        && account.country == country
}

/// The invited logins, sorted, given what the store found for each of the draft's
/// invitees (in the draft's order; `None` where no such account exists).
pub fn invitees(
    draft: &Draft<'_>,
    found: &[Option<OfficerRecord>],
    country: CountryCode,
) -> Result<Vec<Login>, MeetingRuleError> {
    let mut invited = BTreeSet::new();
    for (i, &(index, login)) in draft.invitees.iter().enumerate() {
        match found.get(i).and_then(Option::as_ref) {
            Some(account) if may_be_invited(account, country) => {
                invited.insert(account.login.clone());
            }
            _ => {
                return Err(MeetingRuleError::NotAnOfficer {
                    index,
                    login: login.to_owned(),
                });
            }
        }
    }
    Ok(invited.into_iter().collect())
}

/// A meeting id from a path.
pub fn meeting_id(text: &str) -> Result<MeetingId, MeetingRuleError> {
    text.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .map(MeetingId)
        .ok_or(MeetingRuleError::BadId)
}

/// Whether `login` may see the meeting at all: its host and its invitees. Anyone else is
/// answered as if it did not exist.
pub fn may_see(meeting: &Meeting, login: &Login) -> bool {
    *login == meeting.host || meeting.invited.iter().any(|i| *login == *i)
}

/// Whether `login` may end the meeting: only its host.
pub fn may_end(meeting: &Meeting, login: &Login) -> bool {
    *login == meeting.host
}

#[cfg(test)]
mod tests {
    use sis_proto::{Officer, Role};

    use super::*;
    use crate::ids::OfficerId;

    fn login(s: &str) -> Login {
        Login::parse(s).unwrap()
    }

    fn kz() -> CountryCode {
        CountryCode::parse("KZ").unwrap()
    }

    fn account(name: &str, role: Role, country: &str, disabled: bool) -> OfficerRecord {
        OfficerRecord {
            id: OfficerId(1),
            login: login(name),
            country: CountryCode::parse(country).unwrap(),
            officer: Officer {
                login: name.into(),
                name: name.into(),
                role,
                agency: "customs".into(),
                country: country.into(),
                disabled,
            },
            password_hash: String::new(),
        }
    }

    fn request(invited: &[&str]) -> NewMeeting {
        NewMeeting {
            title: "Weekly".into(),
            case_id: None,
            document_id: None,
            invited: invited.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn the_host_and_repeats_are_left_out_keeping_each_invitee_s_place() {
        let req = request(&["ann", "host", "bob", "ann"]);
        let d = draft(&req, &login("host")).unwrap();
        assert_eq!(d.invitees, [(0, "ann"), (2, "bob")]);
    }

    #[test]
    fn fields_are_checked_and_named() {
        let mut req = request(&[]);
        req.title = "  ".into();
        let e = draft(&req, &login("host")).unwrap_err();
        assert!(e.to_string().starts_with("title: "), "{e}");
        let many: Vec<String> = (0..101).map(|i| format!("o{i:03}")).collect();
        let req = NewMeeting {
            invited: many,
            ..request(&[])
        };
        assert_eq!(
            draft(&req, &login("host")),
            Err(MeetingRuleError::TooManyInvited)
        );
    }

    #[test]
    fn only_active_staff_of_this_node_may_be_invited() {
        let kz = kz();
        assert!(may_be_invited(
            &account("ann", Role::Officer, "KZ", false),
            kz
        ));
        assert!(may_be_invited(
            &account("sup", Role::Supervisor, "KZ", false),
            kz
        ));
        assert!(!may_be_invited(
            &account("trader", Role::Trader, "KZ", false),
            kz
        ));
        assert!(!may_be_invited(
            &account("sys", Role::System, "KZ", false),
            kz
        ));
        assert!(!may_be_invited(
            &account("off", Role::Officer, "KZ", true),
            kz
        ));
        assert!(!may_be_invited(
            &account("uzb", Role::Officer, "UZ", false),
            kz
        ));
    }

    #[test]
    fn the_first_invitee_who_may_not_come_is_named_with_its_place() {
        let req = request(&["ann", "nobody.here", "uz.officer"]);
        let d = draft(&req, &login("host")).unwrap();
        let found = [
            Some(account("ann", Role::Officer, "KZ", false)),
            None,
            Some(account("uz.officer", Role::Officer, "UZ", false)),
        ];
        let e = invitees(&d, &found, kz()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invited[1]: \"nobody.here\" is not an active officer of this node"
        );
        let ok = invitees(&d, &found[..1], kz());
        assert!(matches!(
            ok,
            Err(MeetingRuleError::NotAnOfficer { index: 1, .. })
        ));
        let req = request(&["bob", "ann"]);
        let d = draft(&req, &login("host")).unwrap();
        let found = [
            Some(account("bob", Role::Officer, "KZ", false)),
            Some(account("ann", Role::Officer, "KZ", false)),
        ];
        assert_eq!(
            invitees(&d, &found, kz()).unwrap(),
            [login("ann"), login("bob")]
        );
    }

    #[test]
    fn ids_are_positive_numbers_and_only_host_and_invitees_see_a_meeting() {
        assert_eq!(meeting_id("42"), Ok(MeetingId(42)));
        for bad in ["0", "-1", "x", "", "99999999999999999999"] {
            assert_eq!(meeting_id(bad), Err(MeetingRuleError::BadId), "{bad}");
        }
        let m = Meeting {
            id: MeetingId(1),
            title: "t".into(),
            case_id: None,
            document_id: None,
            host: "host".into(),
            invited: vec!["ann".into()],
            created_at: 0,
            ended_at: None,
        };
        assert!(may_see(&m, &login("host")) && may_see(&m, &login("ann")));
        assert!(!may_see(&m, &login("bob")));
        assert!(may_end(&m, &login("host")) && !may_end(&m, &login("ann")));
    }
}
