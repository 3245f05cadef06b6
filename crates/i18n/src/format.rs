//! Dates and numbers as each language writes them, from CLDR data compiled into the
//! binary (`icu`): "1,234" / "1 234" / "1.234", "Dec 1, 2026" / "1 déc. 2026" / "2026/12/01".

use std::sync::LazyLock;

use icu::datetime::input::{Date, DateTime, Time};
use icu::datetime::{DateTimeFormatter, fieldsets};
use icu::decimal::DecimalFormatter;
use icu::decimal::input::Decimal;
use icu::experimental::displaynames::multi::RegionDisplayNames;
use icu::locale::Locale;
use icu::locale::subtags::Region;

use crate::Language;

struct Formatters {
    number: DecimalFormatter,
    date: DateTimeFormatter<fieldsets::YMD>,
    date_time: DateTimeFormatter<fieldsets::YMDT>,
}

fn formatters(language: Language) -> Formatters {
    let locale: Locale = language.tag().parse().unwrap_or(Locale::UNKNOWN);
    // Compiled data covers every locale CLDR has; a failure here is a build defect, and
    // the root locale's formats are the safe answer.
    let number = DecimalFormatter::try_new(locale.clone().into(), Default::default())
        .or_else(|_| DecimalFormatter::try_new(Default::default(), Default::default()));
    let date = DateTimeFormatter::try_new(locale.clone().into(), fieldsets::YMD::medium());
    let date_time = DateTimeFormatter::try_new(locale.into(), fieldsets::YMDT::medium());
    match (number, date, date_time) {
        (Ok(number), Ok(date), Ok(date_time)) => Formatters {
            number,
            date,
            date_time,
        },
        _ => panic!("CLDR data for {} is missing from the build", language.tag()),
    }
}

static FORMATTERS: LazyLock<[Formatters; 4]> = LazyLock::new(|| Language::ALL.map(formatters));

/// Country names in each language (CLDR's region display names, `icu`'s experimental
/// component: the stable API has no region names yet).
static COUNTRIES: LazyLock<[Option<RegionDisplayNames>; 4]> = LazyLock::new(|| {
    Language::ALL.map(|language| {
        let locale: Locale = language.tag().parse().unwrap_or(Locale::UNKNOWN);
        RegionDisplayNames::try_new(locale.into(), Default::default()).ok()
    })
});

/// The name of the country `code` (ISO 3166-1 alpha-2) in `language`; the code itself
/// when CLDR has no name for it.
pub fn country(language: Language, code: &str) -> String {
    let Ok(region) = Region::try_from_str(code) else {
        return code.to_string();
    };
    COUNTRIES[language as usize]
        .as_ref()
        .and_then(|names| names.of(region))
        .map(str::to_string)
        .unwrap_or_else(|| code.to_string())
}

fn of(language: Language) -> &'static Formatters {
    &FORMATTERS[language as usize]
}

/// An integer with the language's digit grouping.
pub fn number(language: Language, n: i64) -> String {
    of(language).number.format(&Decimal::from(n)).to_string()
}

/// The civil date and time (UTC) of `millis` since the epoch.
fn civil(millis: i64) -> Option<(Date<icu::calendar::Iso>, Time)> {
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000).ok()?;
    let date = Date::try_new_iso(t.year(), u8::from(t.month()), t.day()).ok()?;
    let time = Time::try_new(t.hour(), t.minute(), t.second(), 0).ok()?;
    Some((date, time))
}

/// A date (UTC) in the language's medium form.
pub fn date(language: Language, millis: i64) -> String {
    match civil(millis) {
        Some((date, _)) => of(language).date.format(&date).to_string(),
        None => String::new(),
    }
}

/// A date and time (UTC) in the language's medium form.
pub fn date_time(language: Language, millis: i64) -> String {
    match civil(millis) {
        Some((date, time)) => of(language)
            .date_time
            .format(&DateTime { date, time })
            .to_string(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-12-01T13:05:00Z
    const AT: i64 = 1_796_130_300_000;

    #[test]
    fn numbers_are_grouped_per_language() {
        assert_eq!(number(Language::En, 1_234_567), "1,234,567");
        assert_eq!(number(Language::Id, 1_234_567), "1.234.567");
        assert_eq!(number(Language::Ja, 1_234_567), "1,234,567");
        // French groups with a narrow no-break space.
        assert_eq!(number(Language::Fr, 1_234_567), "1\u{202f}234\u{202f}567");
    }

    #[test]
    fn dates_per_language() {
        assert_eq!(date(Language::En, AT), "Dec 1, 2026");
        assert_eq!(date(Language::Fr, AT), "1 déc. 2026");
        assert_eq!(date(Language::Ja, AT), "2026/12/01");
        assert_eq!(date(Language::Id, AT), "1 Des 2026");
        assert_eq!(date_time(Language::Ja, AT), "2026/12/01 13:05:00");
    }

    #[test]
    fn countries_are_named_in_each_language() {
        assert_eq!(country(Language::En, "JP"), "Japan");
        assert_eq!(country(Language::Ja, "JP"), "日本");
        assert_eq!(country(Language::Fr, "DE"), "Allemagne");
        assert_eq!(country(Language::Id, "DE"), "Jerman");
        assert_eq!(country(Language::En, "not a code"), "not a code");
    }
}
