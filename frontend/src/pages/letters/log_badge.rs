//! The "verified" badge of one recipient's envelope: `GET /api/v1/ledger/proof/{envelope_id}`
//! checked in this browser ([`crate::proof::verify`]), not taken on the node's word.
//!
//! `#letter-verified-<CC>` with `data-verified="true"` when the proof holds, `"false"` (and
//! the reason's code in `data-reason`) when it does not or could not be fetched; the tooltip
//! says where the envelope stands in the log, or why not; `#letter-cosigned-<CC>` says how
//! many other members cosigned the checkpoint. The log is this node's own: the
//! letter's envelope as sent (or as accepted, on an incoming letter).

use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use sis_proto::ApiError;
use sis_proto::endpoint::GetLedgerProof;

use crate::api::{AuthenticatedApi, EndpointPath};
use crate::i18n::{Key, error_text};
use crate::language::use_locale;
use crate::network::{badge_title, cosigned_by};
use crate::proof::{ProofError, Verified, verify};

/// What the check came to.
#[derive(Debug, Clone)]
enum Checked {
    Proof(Result<Verified, ProofError>),
    /// The node gave no proof (none yet, or the call failed).
    Unavailable(ApiError),
}

#[component]
pub fn LogBadge(api: AuthenticatedApi, country: String, envelope_id: String) -> impl IntoView {
    let locale = use_locale();
    let checked = RwSignal::new(None::<Checked>);
    let path = EndpointPath::<GetLedgerProof>::fill(&[("envelope_id", &envelope_id)]);
    spawn_local_scoped_with_cancellation(async move {
        let fetched = match path {
            Ok(path) => api.call_at(&path, &()).await,
            Err(e) => Err(e),
        };
        checked.set(Some(match fetched {
            Ok(proof) => Checked::Proof(verify(&envelope_id, &proof)),
            Err(e) => Checked::Unavailable(e),
        }));
    });

    let cc = country.to_ascii_uppercase();
    let id = format!("letter-verified-{cc}");
    let cosigned_id = format!("letter-cosigned-{cc}");
    move || {
        let Some(outcome) = checked.get() else {
            return view! { <span class="muted">{locale.text(Key::LedgerChecking)}</span> }
                .into_any();
        };
        let lang = locale.get();
        let (verified, reason, title, cosigned) = match &outcome {
            Checked::Proof(result) => (
                result.is_ok(),
                result.as_ref().err().map(ProofError::code),
                badge_title(lang, result),
                result
                    .as_ref()
                    .ok()
                    .and_then(|v| cosigned_by(lang, v.cosigned_by)),
            ),
            Checked::Unavailable(e) => (false, Some(e.code.as_str()), error_text(lang, e), None),
        };
        // A proof that fails is evidence against the log; no proof (none yet, the node down)
        // is only an absence, and does not look like an alarm.
        let (class, text) = match &outcome {
            _ if verified => ("badge log-badge verified", Key::LedgerVerified),
            Checked::Proof(_) => ("badge log-badge not-verified", Key::LedgerNotVerified),
            Checked::Unavailable(_) => ("badge log-badge unavailable", Key::LedgerNotVerified),
        };
        view! {
            <span
                id=id.clone()
                class=class
                data-verified=verified.to_string()
                data-reason=reason
                title=title
            >
                {locale.text(text)}
            </span>
            {cosigned.map(|c| view! { " " <span id=cosigned_id.clone() class="muted nowrap">{c}</span> })}
        }
        .into_any()
    }
}
