//! The languages partnerd speaks and how one is chosen for a person.

/// A language of the consoles and the e-mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Language {
    #[default]
    En,
    Id,
    Fr,
    Ja,
}

impl Language {
    pub const ALL: [Language; 4] = [Language::En, Language::Id, Language::Fr, Language::Ja];

    /// The BCP 47 tag (what `lang` attributes and the Directory API's language codes use).
    pub fn tag(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Id => "id",
            Language::Fr => "fr",
            Language::Ja => "ja",
        }
    }

    /// The language's name in itself, as a language switcher shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Language::En => "English",
            Language::Id => "Bahasa Indonesia",
            Language::Fr => "Français",
            Language::Ja => "日本語",
        }
    }

    /// The language a tag names, by its primary subtag (`en-GB` is English, `fr-CA`
    /// French); `in` is the old code for Indonesian that some browsers still send.
    pub fn from_tag(tag: &str) -> Option<Language> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Language::En),
            "id" | "in" => Some(Language::Id),
            "fr" => Some(Language::Fr),
            "ja" => Some(Language::Ja),
            _ => None,
        }
    }

    /// The first language of a browser's `Accept-Language` header, by quality, that
    /// partnerd speaks.
    pub fn from_accept_language(header: &str) -> Option<Language> {
        let mut ranked: Vec<(f32, usize, Language)> = header
            .split(',')
            .enumerate()
            .filter_map(|(position, item)| {
                let mut parts = item.split(';');
                let language = Language::from_tag(parts.next()?)?;
                let quality = parts
                    .filter_map(|p| p.trim().strip_prefix("q="))
                    .find_map(|q| q.trim().parse::<f32>().ok())
                    .unwrap_or(1.0);
                (quality > 0.0).then_some((quality, position, language))
            })
            .collect();
        // Highest quality first; among equals, the order the browser gave.
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        ranked.first().map(|r| r.2)
    }

    /// The language for a person: their stored choice, else their user setting, else the
    /// browser's, else English.
    pub fn choose(choice: Option<&str>, setting: Option<&str>, accept: Option<&str>) -> Language {
        choice
            .and_then(Language::from_tag)
            .or_else(|| setting.and_then(Language::from_tag))
            .or_else(|| accept.and_then(Language::from_accept_language))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_by_primary_subtag() {
        assert_eq!(Language::from_tag("fr-CA"), Some(Language::Fr));
        assert_eq!(Language::from_tag("in"), Some(Language::Id));
        assert_eq!(Language::from_tag("JA"), Some(Language::Ja));
        assert_eq!(Language::from_tag("de"), None);
    }

    #[test]
    fn accept_language_by_quality_then_order() {
        let pick = Language::from_accept_language;
        assert_eq!(pick("de-DE,ja;q=0.8,fr;q=0.9"), Some(Language::Fr));
        assert_eq!(pick("id, en"), Some(Language::Id));
        assert_eq!(pick("ja;q=0, en;q=0.1"), Some(Language::En));
        assert_eq!(pick("de, es"), None);
        assert_eq!(pick(""), None);
    }

    #[test]
    fn choice_then_setting_then_browser_then_english() {
        assert_eq!(
            Language::choose(Some("ja"), Some("fr"), Some("id")),
            Language::Ja
        );
        assert_eq!(Language::choose(None, Some("fr"), Some("id")), Language::Fr);
        assert_eq!(Language::choose(None, Some("de"), Some("id")), Language::Id);
        assert_eq!(Language::choose(None, None, None), Language::En);
    }
}
