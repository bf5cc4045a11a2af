//! Interface texts, checked at compile time: every language is one exhaustive `match` over
//! [`Key`] (see `en.rs`, `ru.rs`), so a key without a translation does not compile.
//!
//! Also the labels built from wire values: roles, CAREC countries and error codes.

mod en;
mod ru;

pub use sis_proto::desktop::Language;
use sis_proto::{ApiError, ErrorCode, Role};

/// One translatable text of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key {
    AppTitle,
    Language,
    Loading,

    // Login.
    SignInTitle,
    SignInIntro,
    LoginLabel,
    PasswordLabel,
    SignIn,
    SigningIn,
    ConnectionSettings,

    // Top bar and navigation.
    SignOut,
    ModulesNav,
    NavToggle,
    NotYetBuilt,

    // Roles.
    RoleOfficer,
    RoleSupervisor,
    RoleAdmin,
    RoleTrader,
    RoleSystem,

    // The CAREC member countries.
    CountryAz,
    CountryAf,
    CountryGe,
    CountryKz,
    CountryCn,
    CountryKg,
    CountryMn,
    CountryPk,
    CountryTj,
    CountryTm,
    CountryUz,

    // Page titles.
    PageSingleWindow,
    PageCarriers,
    PagePreliminary,
    PageDocuments,
    PageInvoice,
    PageBusiness,
    PageStatistics,
    PageRisk,
    PageMeetings,
    PageDirectories,
    PageAudit,
    PageSettings,
    PageNetwork,
    PageLedger,

    // What each module page will hold (DESIGN.md §4).
    AboutSingleWindow,
    AboutCarriers,
    AboutPreliminary,
    AboutDocuments,
    /// A letter that just arrived (pushed by the node).
    LetterArrived,
    AboutInvoice,
    AboutBusiness,
    AboutStatistics,
    AboutRisk,
    AboutMeetings,
    AboutDirectories,

    // Audit log.
    AuditIntro,
    AuditTime,
    AuditActor,
    AuditAction,
    AuditTarget,
    AuditAddress,
    AuditOutcome,
    AuditLoadMore,
    AuditEmpty,
    AuditNoOlder,

    // The network (admins) and the log's "verified" badge on letters.
    NetworkIntro,
    NetworkTrustList,
    NetworkNoTrustList,
    NetworkNoPeers,
    NetworkRefresh,
    NetworkCountry,
    NetworkName,
    NetworkEndpoint,
    NetworkQueued,
    NetworkInFlight,
    NetworkDelivered,
    NetworkRefused,
    NetworkLastError,
    NetworkCosigned,
    NetworkNotCosigned,
    NetworkCosignedSize,
    NetworkForks,
    NetworkForkAlert,
    LedgerColumn,
    LedgerChecking,
    LedgerVerified,
    LedgerNotVerified,
    LedgerVerifiedTitle,
    LedgerFailedTitle,
    LedgerCosignedBy,

    // The node's own log (admins).
    LedgerIntro,
    LedgerRefresh,
    LedgerOrigin,
    LedgerTreeSize,
    LedgerRoot,
    LedgerCheckpointTitle,
    LedgerNoCheckpoint,
    LedgerSignedAt,
    LedgerCosignaturesTitle,
    LedgerNoCosignatures,
    LedgerWitness,
    LedgerCosignedAt,
    LedgerReceivedAt,
    LedgerCheckpointsTitle,
    LedgerSize,
    LedgerEntriesTitle,
    LedgerIndex,
    LedgerLoggedAt,
    LedgerDirection,
    LedgerSent,
    LedgerAccepted,
    LedgerDocType,
    LedgerSender,
    LedgerRecipients,
    LedgerAllMembers,
    LedgerEnvelope,
    LedgerOlder,
    LedgerNoOlder,
    LedgerEmpty,

    // Directories: the page, the seven directories, their attributes and match badges.
    DirectoryLabel,
    DirectorySearchLabel,
    DirectorySearchPlaceholder,
    DirectoryCode,
    DirectoryName,
    DirectoryMatched,
    DirectoryNoHits,
    DirectoryNoEntries,
    DirectoryMore,
    DirCountries,
    DirCurrencies,
    DirHs,
    DirUnits,
    DirPackageTypes,
    DirTransportModes,
    DirIncoterms,
    DirAttrAlpha3,
    DirAttrMinorUnits,
    DirAttrLevel,
    DirAttrStatus,
    DirAttrModes,
    HsSection,
    HsChapter,
    HsHeading,
    HsSubheading,
    StatusCurrent,
    StatusLegacy,
    ModesAny,
    ModesSea,
    MatchedCode,
    MatchedEn,
    MatchedRu,
    MatchedOther,

    // Meetings: the list, the create form, the room, media.
    MeetingsIntro,
    MeetingsEmpty,
    MeetingsNew,
    MeetingTitleLabel,
    MeetingCaseLabel,
    MeetingDocumentLabel,
    MeetingInvitedLabel,
    MeetingInvitedHint,
    MeetingCreate,
    MeetingCreating,
    MeetingOpen,
    MeetingHost,
    MeetingCreated,
    MeetingEndedBadge,
    MeetingBack,
    MeetingConnecting,
    MeetingJoining,
    MeetingInLobby,
    MeetingInRoom,
    MeetingLeftNotice,
    MeetingRemovedNotice,
    MeetingEndedNotice,
    MeetingRefused,
    MeetingLobby,
    MeetingAdmit,
    MeetingParticipants,
    MeetingYou,
    MeetingMutedBadge,
    MeetingHandBadge,
    MeetingMute,
    MeetingUnmute,
    MeetingCameraOff,
    MeetingCameraOn,
    MeetingRaiseHand,
    MeetingLowerHand,
    MeetingLeave,
    MeetingMuteParticipant,
    MeetingRemoveParticipant,
    MeetingChat,
    MeetingChatPlaceholder,
    MeetingSend,
    MeetingDecisions,
    MeetingDecisionPlaceholder,
    MeetingRecordDecision,
    MeetingEnd,
    MeetingMinutes,
    MeetingWaitingTitle,
    MeetingWaitingHint,
    MinutesTime,
    MinutesEvent,
    MinutesWho,
    MinutesText,
    MinutesSigned,
    MinutesWithheld,
    MinutesNotSigned,
    MinutesCreated,
    MinutesJoined,
    MinutesLeft,
    MinutesRemoved,
    MinutesChat,
    MinutesDecision,
    MinutesEnded,
    MinutesOther,
    MediaOff,
    MediaStarting,
    MediaConnecting,
    MediaConnected,
    MediaUnavailable,
    MediaNoDevices,
    MediaFailed,
    MediaNotInDesktop,

    // Official letters: the mailboxes, compose, one letter, statuses, file sizes.
    LettersInbox,
    LettersOutbox,
    LettersCompose,
    LettersSearchLabel,
    LettersSearchPlaceholder,
    LettersRefresh,
    LettersEmpty,
    LettersNoHits,
    LetterNumber,
    LetterFrom,
    LetterTo,
    LetterSubject,
    LetterDate,
    LetterStatusLabel,
    LetterFiles,
    LetterDeadline,
    LetterOverdue,
    LetterUnread,
    LetterAgency,
    LetterAgencyHint,
    LetterBody,
    LetterReplyTo,
    LetterRecipientsHint,
    LetterAttach,
    LetterFilesHint,
    LetterFileSaved,
    LetterFileTooLarge,
    LetterFileNotAdded,
    LetterSend,
    LetterSending,
    LetterUploading,
    LetterCancel,
    LetterBack,
    LetterReply,
    LetterSendDraft,
    LetterDraftKept,
    LetterDelivery,
    LetterCountry,
    LetterTheirNumber,
    LetterReceipt,
    LetterRefusal,
    LetterUpdated,
    LetterThread,
    LetterThreadEmpty,
    LetterAuthor,
    LetterSenderNumber,
    LetterCase,
    LetterNoText,
    LetterNoFiles,
    LetterStatusDraft,
    LetterStatusQueued,
    LetterStatusDelivered,
    LetterStatusRegistered,
    LetterStatusRead,
    LetterStatusAnswered,
    LetterStatusRefused,
    LetterStatusOther,
    SizeBytes,
    SizeKb,
    SizeMb,

    // Desktop settings.
    SettingsNodeUrl,
    SettingsNodeUrlHint,
    SettingsSave,
    SettingsSaved,

    // Errors, one per `ErrorCode` a person can meet.
    ErrUnauthenticated,
    ErrInvalidCredentials,
    ErrSessionExpired,
    ErrAccountDisabled,
    ErrTooManyAttempts,
    ErrForbidden,
    ErrBadRequest,
    ErrPayloadTooLarge,
    ErrNotFound,
    ErrConflict,
    ErrUnavailable,
    ErrInternal,
    ErrNetwork,
    ErrOutOfOrder,
    ErrMeetingEnded,
    ErrMediaUnavailable,
    /// A code this client does not know, arriving without a sentence of its own.
    ErrUnknown,
}

/// The text of `key` in `lang`.
pub fn t(lang: Language, key: Key) -> &'static str {
    match lang {
        Language::En => en::text(key),
        Language::Ru => ru::text(key),
    }
}

/// The language's own name, the same whatever the interface language (people look for their
/// language by the name they know).
pub fn native_name(lang: Language) -> &'static str {
    match lang {
        Language::En => "English",
        Language::Ru => "Русский",
    }
}

/// Writing direction for `<html dir>`. Both languages so far run left to right; the region's
/// right-to-left languages answer `rtl` here when they are added, and the stylesheet uses
/// logical properties so the layout follows.
pub fn direction(_lang: Language) -> &'static str {
    "ltr"
}

/// The interface language for a browser's preferred language tag (`ru-RU` → Russian), if it
/// is one we have.
pub fn language_for_browser_tag(tag: &str) -> Option<Language> {
    let primary = tag.split(['-', '_']).next().unwrap_or_default();
    Language::from_tag(&primary.to_ascii_lowercase())
}

/// The role's name as an officer reads it.
pub fn role_label(lang: Language, role: Role) -> &'static str {
    let key = match role {
        Role::Officer => Key::RoleOfficer,
        Role::Supervisor => Key::RoleSupervisor,
        Role::Admin => Key::RoleAdmin,
        Role::Trader => Key::RoleTrader,
        Role::System => Key::RoleSystem,
        // A role from a newer node: its stable spelling beats nothing.
        _ => return role.as_str(),
    };
    t(lang, key)
}

/// ISO 3166-1 alpha-2 codes of the eleven CAREC members: the countries a letter can go to.
pub const CAREC_MEMBERS: [&str; 11] = [
    "AZ", "AF", "GE", "KZ", "CN", "KG", "MN", "PK", "TJ", "TM", "UZ",
];

fn country_key(alpha2: &str) -> Option<Key> {
    Some(match alpha2 {
        "AZ" => Key::CountryAz,
        "AF" => Key::CountryAf,
        "GE" => Key::CountryGe,
        "KZ" => Key::CountryKz,
        "CN" => Key::CountryCn,
        "KG" => Key::CountryKg,
        "MN" => Key::CountryMn,
        "PK" => Key::CountryPk,
        "TJ" => Key::CountryTj,
        "TM" => Key::CountryTm,
        "UZ" => Key::CountryUz,
        _ => return None,
    })
}

/// A CAREC member's name in `lang`; `None` for other codes.
pub fn country_name(lang: Language, alpha2: &str) -> Option<&'static str> {
    country_key(&alpha2.trim().to_ascii_uppercase()).map(|key| t(lang, key))
}

/// `KZ · Kazakhstan`: the code officers use beside the name in the interface language; a
/// code outside CAREC is shown as it came.
pub fn country_label(lang: Language, alpha2: &str) -> String {
    let code = alpha2.trim().to_ascii_uppercase();
    match country_key(&code) {
        Some(key) => format!("{code} · {}", t(lang, key)),
        None => code,
    }
}

/// The sentence shown for an error: chosen by its stable code, so it is in the interface
/// language; the node's own message only for codes this client does not know.
pub fn error_text(lang: Language, error: &ApiError) -> String {
    let key = match error.code {
        ErrorCode::Unauthenticated => Key::ErrUnauthenticated,
        ErrorCode::InvalidCredentials => Key::ErrInvalidCredentials,
        ErrorCode::SessionExpired => Key::ErrSessionExpired,
        ErrorCode::AccountDisabled => Key::ErrAccountDisabled,
        ErrorCode::TooManyAttempts => Key::ErrTooManyAttempts,
        ErrorCode::Forbidden => Key::ErrForbidden,
        ErrorCode::BadRequest => Key::ErrBadRequest,
        ErrorCode::PayloadTooLarge => Key::ErrPayloadTooLarge,
        ErrorCode::NotFound => Key::ErrNotFound,
        ErrorCode::Conflict => Key::ErrConflict,
        ErrorCode::Unavailable => Key::ErrUnavailable,
        ErrorCode::Internal => Key::ErrInternal,
        ErrorCode::Network => Key::ErrNetwork,
        ErrorCode::OutOfOrder => Key::ErrOutOfOrder,
        ErrorCode::MeetingEnded => Key::ErrMeetingEnded,
        ErrorCode::MediaUnavailable => Key::ErrMediaUnavailable,
        // `Unknown`, and codes added to the protocol after this client was built.
        _ if error.message.trim().is_empty() => Key::ErrUnknown,
        _ => return error.message.clone(),
    };
    t(lang, key).to_owned()
}

/// The node's own words worth showing beside [`error_text`]'s translated sentence: for a
/// refused request (`bad_request`), its message says what exactly was refused
/// (`case_id: must be 1 to 100 printable characters`), which no code can.
pub fn error_detail(error: &ApiError) -> Option<&str> {
    let message = error.message.trim();
    (error.code == ErrorCode::BadRequest && !message.is_empty()).then_some(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_request_keeps_the_nodes_precise_message() {
        let e = ApiError::new(
            ErrorCode::BadRequest,
            "title: must be 1 to 200 printable characters",
        );
        assert_eq!(
            error_detail(&e),
            Some("title: must be 1 to 200 printable characters")
        );
        assert_eq!(
            error_detail(&ApiError::new(ErrorCode::BadRequest, " ")),
            None
        );
        assert_eq!(
            error_detail(&ApiError::new(ErrorCode::InvalidCredentials, "x")),
            None,
            "other codes have a translated sentence that says it all"
        );
    }

    #[test]
    fn texts_follow_the_language() {
        assert_eq!(t(Language::En, Key::SignIn), "Sign in");
        assert_eq!(t(Language::Ru, Key::SignIn), "Войти");
    }

    #[test]
    fn errors_are_translated_by_code_not_by_the_nodes_sentence() {
        let e = ApiError::new(ErrorCode::InvalidCredentials, "bad login or password");
        assert_eq!(error_text(Language::En, &e), "Wrong login or password.");
        assert_eq!(error_text(Language::Ru, &e), "Неверный логин или пароль.");
        let e = ApiError::new(ErrorCode::TooManyAttempts, "x");
        assert!(error_text(Language::Ru, &e).contains("попыток"));
    }

    #[test]
    fn an_unknown_code_shows_the_nodes_sentence_or_a_generic_one() {
        let e = ApiError::new(ErrorCode::Unknown, "Quota exceeded for today.");
        assert_eq!(error_text(Language::Ru, &e), "Quota exceeded for today.");
        let e = ApiError::new(ErrorCode::Unknown, "  ");
        assert_eq!(
            error_text(Language::En, &e),
            t(Language::En, Key::ErrUnknown)
        );
    }

    #[test]
    fn every_carec_member_has_a_name_in_every_language() {
        for code in CAREC_MEMBERS {
            for lang in Language::ALL {
                let label = country_label(lang, code);
                assert!(
                    label.starts_with(code) && label.len() > code.len() + 3,
                    "{code} must be shown with its name, got {label:?}"
                );
            }
        }
        assert_eq!(country_label(Language::En, "kz"), "KZ · Kazakhstan");
        assert_eq!(country_label(Language::Ru, "KZ"), "KZ · Казахстан");
        assert_eq!(
            country_label(Language::En, "FR"),
            "FR",
            "non-members keep their code"
        );
    }

    #[test]
    fn roles_have_translated_names() {
        assert_eq!(role_label(Language::En, Role::Admin), "Administrator");
        assert_eq!(role_label(Language::Ru, Role::Admin), "Администратор");
        for role in Role::ALL {
            assert_ne!(role_label(Language::Ru, role), role.as_str());
        }
    }

    #[test]
    fn browser_tags_pick_a_language_we_have() {
        assert_eq!(language_for_browser_tag("ru-RU"), Some(Language::Ru));
        assert_eq!(language_for_browser_tag("EN_gb"), Some(Language::En));
        assert_eq!(language_for_browser_tag("kk-KZ"), None);
        assert_eq!(language_for_browser_tag(""), None);
    }
}
