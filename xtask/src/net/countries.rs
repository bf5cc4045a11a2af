//! `--countries kz,uz,kg`: which CAREC members the demo network runs, and their names.

use anyhow::bail;
use sis_customs::CountryCode;
use sis_customs::country::CAREC_MEMBERS;

/// The countries in `list` (comma-separated alpha-2 codes in either case, or `all` for the
/// eleven), in the order given, each once.
pub fn parse(list: &str) -> anyhow::Result<Vec<CountryCode>> {
    if list.trim().eq_ignore_ascii_case("all") {
        return Ok(CAREC_MEMBERS.to_vec());
    }
    let mut countries = Vec::new();
    for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let upper = item.to_ascii_uppercase();
        let Ok(code) = CountryCode::parse(&upper) else {
            bail!("--countries: {item:?} is not an ISO 3166-1 alpha-2 country code");
        };
        if !code.is_carec_member() {
            bail!(
                "--countries: {code} is not a CAREC member (members: {})",
                members()
            );
        }
        if countries.contains(&code) {
            bail!("--countries: {code} is listed twice");
        }
        countries.push(code);
    }
    if countries.is_empty() {
        bail!("--countries: give one or more of {} (or `all`)", members());
    }
    Ok(countries)
}

fn members() -> String {
    let codes: Vec<String> = CAREC_MEMBERS
        .iter()
        .map(|c| c.as_str().to_ascii_lowercase())
        .collect();
    codes.join(",")
}

/// The member's name in the trust list.
pub fn service_name(country: CountryCode) -> String {
    let name = match country.as_str() {
        "AF" => "Afghanistan",
        "AZ" => "Azerbaijan",
        "CN" => "China",
        "GE" => "Georgia",
        "KG" => "Kyrgyzstan",
        "KZ" => "Kazakhstan",
        "MN" => "Mongolia",
        "PK" => "Pakistan",
        "TJ" => "Tajikistan",
        "TM" => "Turkmenistan",
        "UZ" => "Uzbekistan",
        other => other,
    };
    format!("{name} customs service")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(list: &str) -> Vec<String> {
        parse(list)
            .expect("valid")
            .iter()
            .map(|c| c.to_string())
            .collect()
    }

    #[test]
    fn countries_are_taken_in_either_case_in_the_order_given() {
        assert_eq!(codes("kz,uz,kg"), ["KZ", "UZ", "KG"]);
        assert_eq!(codes(" UZ , kz,"), ["UZ", "KZ"]);
        assert_eq!(codes("all").len(), 11, "`all` is the eleven members");
    }

    #[test]
    fn a_country_outside_carec_a_repeat_or_nothing_is_refused_by_name() {
        for (list, says) in [
            ("kz,ru", "RU is not a CAREC member"),
            ("kz,kaz", "\"kaz\" is not an ISO 3166-1"),
            ("xx", "\"xx\" is not an ISO 3166-1"),
            ("kz,KZ", "KZ is listed twice"),
            (" , ", "give one or more"),
        ] {
            let err = parse(list).expect_err(list).to_string();
            assert!(err.starts_with("--countries: "), "{err}");
            assert!(err.contains(says), "{list}: {err}");
        }
    }

    #[test]
    fn every_member_has_a_name() {
        for c in CAREC_MEMBERS {
            assert!(
                !service_name(c).starts_with(c.as_str()),
                "{c} has a name of its own"
            );
        }
    }
}
