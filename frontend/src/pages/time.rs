//! Times as the person reads them: Unix milliseconds as a local date and time in the
//! interface language, by the browser's own formatting.

use wasm_bindgen::JsValue;

/// How finely a time is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Precision {
    /// Meetings and minutes: to the minute.
    Minute,
    /// The audit log: to the second, where the order of events matters.
    Second,
}

/// `at_ms` as a local date and time in the language of `tag` (`ru`, `en`).
pub(super) fn local_time(tag: &str, at_ms: i64, precision: Precision) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(at_ms as f64));
    let options = js_sys::Object::new();
    let time_style = match precision {
        Precision::Minute => "short",
        Precision::Second => "medium",
    };
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &time_style.into());
    date.to_locale_string(tag, &options).into()
}
