//! English texts.

use super::Key;

/// Exhaustive on purpose: a new [`Key`] does not compile until it has its English text.
pub(super) fn text(key: Key) -> &'static str {
    match key {
        Key::AppTitle => "CAREC Single Information Space",
        Key::Language => "Language",
        Key::Loading => "Loading…",

        Key::SignInTitle => "Sign in",
        Key::SignInIntro => "For officers of the customs services of the CAREC member countries.",
        Key::LoginLabel => "Login",
        Key::PasswordLabel => "Password",
        Key::SignIn => "Sign in",
        Key::SigningIn => "Signing in…",
        Key::ConnectionSettings => "Connection settings",

        Key::SignOut => "Sign out",
        Key::ModulesNav => "Modules",
        Key::NavToggle => "Show or hide the modules",
        Key::NotYetBuilt => "This module is being built; its work screens will appear here.",

        Key::RoleOfficer => "Customs officer",
        Key::RoleSupervisor => "Supervisor",
        Key::RoleAdmin => "Administrator",
        Key::RoleTrader => "Trader",
        Key::RoleSystem => "National system",

        Key::CountryAz => "Azerbaijan",
        Key::CountryAf => "Afghanistan",
        Key::CountryGe => "Georgia",
        Key::CountryKz => "Kazakhstan",
        Key::CountryCn => "China",
        Key::CountryKg => "Kyrgyzstan",
        Key::CountryMn => "Mongolia",
        Key::CountryPk => "Pakistan",
        Key::CountryTj => "Tajikistan",
        Key::CountryTm => "Turkmenistan",
        Key::CountryUz => "Uzbekistan",

        Key::PageSingleWindow => "Single Window",
        Key::PageCarriers => "Unified Register of Carriers",
        Key::PagePreliminary => "Preliminary Information",
        Key::PageDocuments => "Electronic Document Management",
        Key::PageInvoice => "Single Invoice",
        Key::PageBusiness => "Platform for Business",
        Key::PageStatistics => "Mirror Statistics",
        Key::PageRisk => "Risk Management",
        Key::PageMeetings => "Video Conferencing",
        Key::PageDirectories => "Directories",
        Key::PageAudit => "Audit Log",
        Key::PageSettings => "Settings",
        Key::PageNetwork => "Network",
        Key::PageLedger => "Transparency Log",

        Key::AboutSingleWindow => {
            "A trader submits a declaration or permit application once; the agencies concerned \
             decide on it, the trader follows its status, and a decision may be recognised by \
             the other country."
        }
        Key::AboutCarriers => {
            "One register of carriers licensed to move goods under customs control, built from \
             every country's entries, with a good-faith level from the violations and clean \
             trips each country reports; a carrier flagged in one country reaches the risk \
             systems of the others."
        }
        Key::AboutPreliminary => {
            "Advance data on goods and vehicles before they reach the border: consignor, \
             consignee, carrier, vehicle and trailer plates, container, route, goods by HS code \
             with quantity, weight and value, expected arrival. The checkpoint finds a vehicle \
             by plate or container, and its arrival is matched to the advance record."
        }
        Key::LetterArrived => "New letter",
        Key::AboutDocuments => {
            "Official letters between customs services: registration numbers, addressees, \
             attachments, delivery and read receipts, replies, deadlines and search."
        }
        Key::AboutInvoice => {
            "One invoice structure for all members: parties, manufacturer, origin, Incoterms, \
             lines with HS code, quantity and unit, value and currency; XML and EDIFACT INVOIC \
             in and out, validated with clear errors."
        }
        Key::AboutBusiness => {
            "A trader's personal account: its own import and export volumes, its documents and \
             their status, regulations and links to services."
        }
        Key::AboutStatistics => {
            "Partner countries exchange trade statistics and see the discrepancies (one \
             country's exports against its partner's imports) by HS chapter and month, as \
             tables and charts."
        }
        Key::AboutRisk => {
            "Shared risk profiles evaluated on arriving information, with green, yellow and red \
             selectivity lanes; hits and inspection results go back to the country that owns \
             the profile in real time."
        }
        Key::AboutMeetings => {
            "Meetings between agencies of several countries, tied to a case or document when \
             wanted, with chat, screen sharing, moderator controls and signed minutes."
        }
        Key::AboutDirectories => {
            "The reference lists every document is checked against: countries (ISO 3166-1), \
             currencies (ISO 4217), the Harmonized System (2022), units of measure, package \
             types, transport modes and Incoterms 2020."
        }

        Key::AuditIntro => {
            "Every write on this node: who did it, when and from where. Newest first."
        }
        Key::AuditTime => "Time",
        Key::AuditActor => "Actor",
        Key::AuditAction => "Action",
        Key::AuditTarget => "Target",
        Key::AuditAddress => "Address",
        Key::AuditOutcome => "Outcome",
        Key::AuditLoadMore => "Load more",
        Key::AuditEmpty => "The audit log is empty.",
        Key::AuditNoOlder => "No older entries.",

        Key::NetworkIntro => {
            "The members of the network in this node's trust list, how deliveries to each stand, and the last tree head of its log this node cosigned."
        }
        Key::NetworkTrustList => "Trust list version",
        Key::NetworkNoTrustList => "This node is in no network: no trust list is loaded.",
        Key::NetworkNoPeers => "The trust list names no other member.",
        Key::NetworkRefresh => "Refresh",
        Key::NetworkCountry => "Country",
        Key::NetworkName => "Name",
        Key::NetworkEndpoint => "External address",
        Key::NetworkQueued => "Queued",
        Key::NetworkInFlight => "Sending",
        Key::NetworkDelivered => "Delivered",
        Key::NetworkRefused => "Refused",
        Key::NetworkLastError => "Last error",
        Key::NetworkCosigned => "Its log, cosigned",
        Key::NetworkNotCosigned => "not yet",
        Key::NetworkCosignedSize => "size",
        Key::NetworkForks => "Forks",
        Key::NetworkForkAlert => {
            "The log of {countries} forked: this node holds two conflicting checkpoints signed by it. Keep the evidence and tell that country's administrators."
        }
        Key::LedgerColumn => "This node's log",
        Key::LedgerChecking => "Checking…",
        Key::LedgerVerified => "Verified",
        Key::LedgerNotVerified => "Not verified",
        Key::LedgerVerifiedTitle => {
            "In this node's log: entry {index} of the tree of {size} entries, checked in this browser against the signed checkpoint's root."
        }
        Key::LedgerFailedTitle => "The log's proof for this envelope did not verify:",
        Key::LedgerCosignedBy => "cosigned by {n}",

        Key::LedgerIntro => {
            "This node's own transparency log: every envelope it sent or accepted, the tree head it signed, and the cosignatures other members made of it. Newest first."
        }
        Key::LedgerRefresh => "Refresh",
        Key::LedgerOrigin => "Log",
        Key::LedgerTreeSize => "Entries in the tree",
        Key::LedgerRoot => "Root hash",
        Key::LedgerCheckpointTitle => "Latest checkpoint",
        Key::LedgerNoCheckpoint => "The log has not signed a checkpoint yet.",
        Key::LedgerSignedAt => "Signed",
        Key::LedgerCosignaturesTitle => "Cosignatures",
        Key::LedgerNoCosignatures => "No member has cosigned this checkpoint yet.",
        Key::LedgerWitness => "Witness key",
        Key::LedgerCosignedAt => "Cosigned",
        Key::LedgerReceivedAt => "Received",
        Key::LedgerCheckpointsTitle => "Recent checkpoints",
        Key::LedgerSize => "Size",
        Key::LedgerEntriesTitle => "Entries",
        Key::LedgerIndex => "No.",
        Key::LedgerLoggedAt => "Logged",
        Key::LedgerDirection => "Direction",
        Key::LedgerSent => "sent",
        Key::LedgerAccepted => "accepted",
        Key::LedgerDocType => "Document type",
        Key::LedgerSender => "Sender",
        Key::LedgerRecipients => "Recipients",
        Key::LedgerAllMembers => "all members",
        Key::LedgerEnvelope => "Envelope",
        Key::LedgerOlder => "Older",
        Key::LedgerNoOlder => "No older entries.",
        Key::LedgerEmpty => "The log is empty: this node has not sent or accepted an envelope yet.",

        Key::DirectoryLabel => "Directory",
        Key::DirectorySearchLabel => "Search",
        Key::DirectorySearchPlaceholder => "A code, or words in English or Russian",
        Key::DirectoryCode => "Code",
        Key::DirectoryName => "Name",
        Key::DirectoryMatched => "Matched",
        Key::DirectoryNoHits => "Nothing in this directory matches the search.",
        Key::DirectoryNoEntries => "This directory has no entries.",
        Key::DirectoryMore => {
            "Only the first entries are shown; type a code or more words to narrow the search."
        }
        Key::DirCountries => "Countries",
        Key::DirCurrencies => "Currencies",
        Key::DirHs => "Harmonized System 2022",
        Key::DirUnits => "Units of measure",
        Key::DirPackageTypes => "Package types",
        Key::DirTransportModes => "Transport modes",
        Key::DirIncoterms => "Incoterms 2020",
        Key::DirAttrAlpha3 => "Alpha-3",
        Key::DirAttrMinorUnits => "Minor units",
        Key::DirAttrLevel => "Level",
        Key::DirAttrStatus => "Status",
        Key::DirAttrModes => "Transport",
        Key::HsSection => "section",
        Key::HsChapter => "chapter",
        Key::HsHeading => "heading",
        Key::HsSubheading => "subheading",
        Key::StatusCurrent => "current",
        Key::StatusLegacy => "legacy",
        Key::ModesAny => "any mode",
        Key::ModesSea => "sea and inland waterway",
        Key::MatchedCode => "Matched the code",
        Key::MatchedEn => "Matched the English name",
        Key::MatchedRu => "Matched the Russian name",
        Key::MatchedOther => "Matched",

        Key::MeetingsIntro => "Meetings you host or are invited to, newest first.",
        Key::MeetingsEmpty => "No meetings yet.",
        Key::MeetingsNew => "New meeting",
        Key::MeetingTitleLabel => "Title",
        Key::MeetingCaseLabel => "Case (optional)",
        Key::MeetingDocumentLabel => "Document (optional)",
        Key::MeetingInvitedLabel => "Invited officers",
        Key::MeetingInvitedHint => "Logins of officers of this node, separated by commas",
        Key::MeetingCreate => "Create",
        Key::MeetingCreating => "Creating…",
        Key::MeetingOpen => "Open",
        Key::MeetingHost => "Host",
        Key::MeetingCreated => "Created",
        Key::MeetingEndedBadge => "ended",
        Key::MeetingBack => "All meetings",
        Key::MeetingConnecting => "Connecting to the node…",
        Key::MeetingJoining => "Joining…",
        Key::MeetingInLobby => "Waiting for the host to let you in.",
        Key::MeetingInRoom => "You are in the meeting.",
        Key::MeetingLeftNotice => "You left the meeting.",
        Key::MeetingRemovedNotice => "The host removed you from the meeting.",
        Key::MeetingEndedNotice => "The meeting has ended.",
        Key::MeetingRefused => "You cannot join this meeting.",
        Key::MeetingLobby => "Waiting to join",
        Key::MeetingAdmit => "Admit",
        Key::MeetingParticipants => "Participants",
        Key::MeetingYou => "you",
        Key::MeetingMutedBadge => "muted",
        Key::MeetingHandBadge => "hand raised",
        Key::MeetingMute => "Mute",
        Key::MeetingUnmute => "Unmute",
        Key::MeetingCameraOff => "Camera off",
        Key::MeetingCameraOn => "Camera on",
        Key::MeetingRaiseHand => "Raise hand",
        Key::MeetingLowerHand => "Lower hand",
        Key::MeetingLeave => "Leave",
        Key::MeetingMuteParticipant => "Mute",
        Key::MeetingRemoveParticipant => "Remove",
        Key::MeetingChat => "Chat",
        Key::MeetingChatPlaceholder => "A message to everyone in the meeting",
        Key::MeetingSend => "Send",
        Key::MeetingDecisions => "Decisions",
        Key::MeetingDecisionPlaceholder => "A decision for the minutes",
        Key::MeetingRecordDecision => "Record decision",
        Key::MeetingEnd => "End meeting",
        Key::MeetingMinutes => "Minutes",
        Key::MeetingWaitingTitle => "Waiting for the host to admit you",
        Key::MeetingWaitingHint => {
            "The participants, the chat and the decisions appear here once the host lets you in."
        }
        Key::MinutesTime => "Time",
        Key::MinutesEvent => "Event",
        Key::MinutesWho => "Who",
        Key::MinutesText => "Text",
        Key::MinutesSigned => "Signed by the node:",
        Key::MinutesWithheld => "(not shown: you were not in the meeting when it was written)",
        Key::MinutesNotSigned => "The node has not signed these minutes yet.",
        Key::MinutesCreated => "Created",
        Key::MinutesJoined => "Joined",
        Key::MinutesLeft => "Left",
        Key::MinutesRemoved => "Removed",
        Key::MinutesChat => "Chat",
        Key::MinutesDecision => "Decision",
        Key::MinutesEnded => "Ended",
        Key::MinutesOther => "Other",
        Key::MediaOff => "Audio and video are off.",
        Key::MediaStarting => "Starting the camera and microphone…",
        Key::MediaConnecting => "Connecting audio and video…",
        Key::MediaConnected => "Audio and video connected.",
        Key::MediaUnavailable => {
            "Media unavailable: this node carries no audio or video. Chat and moderation work."
        }
        Key::MediaNoDevices => {
            "No camera or microphone could be used. You can still follow the meeting and chat."
        }
        Key::MediaFailed => "The audio and video connection failed.",
        Key::MediaNotInDesktop => {
            "Audio and video are not available in the desktop app yet; for them, join from the browser."
        }

        Key::LettersInbox => "Inbox",
        Key::LettersOutbox => "Outbox",
        Key::LettersCompose => "New letter",
        Key::LettersSearchLabel => "Search letters",
        Key::LettersSearchPlaceholder => "Words of the subject, the text or a file name",
        Key::LettersRefresh => "Refresh",
        Key::LettersEmpty => "No letters here yet.",
        Key::LettersNoHits => "No letters match the search.",
        Key::LetterNumber => "Reg. No.",
        Key::LetterFrom => "From",
        Key::LetterTo => "To",
        Key::LetterSubject => "Subject",
        Key::LetterDate => "Date",
        Key::LetterStatusLabel => "Status",
        Key::LetterFiles => "Files",
        Key::LetterDeadline => "Answer by",
        Key::LetterOverdue => "Overdue",
        Key::LetterUnread => "Unread",
        Key::LetterAgency => "Agency",
        Key::LetterAgencyHint => "Leave empty to address the customs service.",
        Key::LetterBody => "Text",
        Key::LetterReplyTo => "In reply to",
        Key::LetterRecipientsHint => "One or more member countries.",
        Key::LetterAttach => "Files",
        Key::LetterFilesHint => "PDF, images, office files; up to 20 MB each.",
        Key::LetterFileSaved => "The file is saved:",
        Key::LetterFileTooLarge => "larger than 20 MB, the most a letter carries.",
        Key::LetterFileNotAdded => "was not added:",
        Key::LetterSend => "Send",
        Key::LetterSending => "Sending…",
        Key::LetterUploading => "Adding the files…",
        Key::LetterCancel => "Cancel",
        Key::LetterBack => "Back to the letters",
        Key::LetterReply => "Reply",
        Key::LetterSendDraft => "Send the draft",
        Key::LetterDraftKept => {
            "Kept as a draft: choose the files that failed again and send, or send it as it is. Its text can no longer change."
        }
        Key::LetterDelivery => "Delivery to each country",
        Key::LetterCountry => "Country",
        Key::LetterTheirNumber => "Their reg. No.",
        Key::LetterReceipt => "Receipt: log index",
        Key::LetterRefusal => "Refusal",
        Key::LetterUpdated => "Updated",
        Key::LetterThread => "Other letters of this case",
        Key::LetterThreadEmpty => "No other letters on this case.",
        Key::LetterAuthor => "Written by",
        Key::LetterSenderNumber => "Sender's reg. No.",
        Key::LetterCase => "Case",
        Key::LetterNoText => "(no text)",
        Key::LetterNoFiles => "No files.",
        Key::LetterStatusDraft => "Draft",
        Key::LetterStatusQueued => "Queued",
        Key::LetterStatusDelivered => "Delivered",
        Key::LetterStatusRegistered => "Registered",
        Key::LetterStatusRead => "Read",
        Key::LetterStatusAnswered => "Answered",
        Key::LetterStatusRefused => "Refused",
        Key::LetterStatusOther => "Unknown status",
        Key::SizeBytes => "B",
        Key::SizeKb => "KB",
        Key::SizeMb => "MB",

        Key::SettingsNodeUrl => "Node address",
        Key::SettingsNodeUrlHint => {
            "The address of your country's node, for example https://sis.customs.example:8443"
        }
        Key::SettingsSave => "Save",
        Key::SettingsSaved => "Settings saved.",

        Key::ErrUnauthenticated => "You are not signed in. Please sign in again.",
        Key::ErrInvalidCredentials => "Wrong login or password.",
        Key::ErrSessionExpired => "Your session has ended. Please sign in again.",
        Key::ErrAccountDisabled => {
            "This account has been disabled. Contact your node administrator."
        }
        Key::ErrTooManyAttempts => "Too many failed sign-in attempts. Try again later.",
        Key::ErrForbidden => "Your role does not allow this.",
        Key::ErrBadRequest => "The request was not accepted: some data is missing or invalid.",
        Key::ErrPayloadTooLarge => "The data sent is too large.",
        Key::ErrNotFound => "Not found.",
        Key::ErrConflict => "This conflicts with data already stored.",
        Key::ErrUnavailable => "The node is temporarily unavailable. Try again later.",
        Key::ErrInternal => "The node could not complete the request. Try again later.",
        Key::ErrNetwork => {
            "The node cannot be reached, or its answer could not be read. Check the connection."
        }
        Key::ErrOutOfOrder => "That cannot be done at this point of the meeting.",
        Key::ErrMeetingEnded => "The meeting has ended.",
        Key::ErrMediaUnavailable => "Audio and video are unavailable on this node.",
        Key::ErrUnknown => "The node refused the request.",
    }
}
