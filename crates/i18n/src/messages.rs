//! The message catalogues: one Fluent file per language, embedded in the binary. Every
//! message exists in all four (a test checks it), and every id the templates and the
//! code ask for exists (the server's tests check the templates').

use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use crate::Language;

/// The catalogue files, by language.
pub const SOURCES: [(Language, &str); 4] = [
    (Language::En, include_str!("../locales/en.ftl")),
    (Language::Id, include_str!("../locales/id.ftl")),
    (Language::Fr, include_str!("../locales/fr.ftl")),
    (Language::Ja, include_str!("../locales/ja.ftl")),
];

fn bundle(language: Language, source: &str) -> FluentBundle<FluentResource> {
    let tag = language
        .tag()
        .parse()
        .unwrap_or_else(|_| unic_langid::LanguageIdentifier::default());
    let mut bundle = FluentBundle::new_concurrent(vec![tag]);
    // Unicode isolation marks would show up in attributes and e-mail subjects.
    bundle.set_use_isolating(false);
    let resource =
        FluentResource::try_new(source.to_string()).unwrap_or_else(|(partial, _)| partial);
    if let Err(errors) = bundle.add_resource(resource) {
        // Duplicate ids: the first stays. The catalogue test fails on these.
        let _ = errors;
    }
    bundle
}

static BUNDLES: LazyLock<Vec<FluentBundle<FluentResource>>> = LazyLock::new(|| {
    SOURCES
        .iter()
        .map(|(language, source)| bundle(*language, source))
        .collect()
});

fn format(language: Language, id: &str, args: Option<&FluentArgs>) -> Option<String> {
    let bundle = &BUNDLES[language as usize];
    let pattern = bundle.get_message(id)?.value()?;
    let mut errors = vec![];
    let text = bundle.format_pattern(pattern, args, &mut errors);
    errors.is_empty().then(|| text.into_owned())
}

/// The message `id` in `language`; English when that catalogue lacks it, and the id
/// itself when none has it (the catalogue tests keep both from happening).
pub fn tr(language: Language, id: &str) -> String {
    tr_with(language, id, &[])
}

/// The message `id` with its variables (`{ $name }`) filled in.
pub fn tr_with(language: Language, id: &str, values: &[(&str, &str)]) -> String {
    let mut args = FluentArgs::new();
    for (name, value) in values {
        args.set(*name, FluentValue::from(*value));
    }
    let args = (!values.is_empty()).then_some(&args);
    format(language, id, args)
        .or_else(|| format(Language::En, id, args))
        .unwrap_or_else(|| id.to_string())
}

/// Whether every language's catalogue has a message `id`.
pub fn exists_everywhere(id: &str) -> bool {
    BUNDLES.iter().all(|b| b.has_message(id))
}

/// The ids of a catalogue file, in order.
pub fn ids_of(source: &str) -> Vec<String> {
    use fluent_bundle::FluentResource;
    let resource = match FluentResource::try_new(source.to_string()) {
        Ok(r) => r,
        Err((r, _)) => r,
    };
    resource
        .entries()
        .filter_map(|entry| match entry {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalogue_parses_and_has_the_same_messages() {
        let english = ids_of(SOURCES[0].1);
        assert!(english.len() > 20, "the English catalogue is nearly empty");
        for (language, source) in SOURCES {
            if let Err((_, errors)) = FluentResource::try_new(source.to_string()) {
                panic!("{} catalogue does not parse: {errors:?}", language.tag());
            }
            let ids = ids_of(source);
            let mut sorted = ids.clone();
            sorted.sort();
            sorted.dedup();
            assert_eq!(sorted.len(), ids.len(), "{}: duplicate ids", language.tag());
            for id in &english {
                assert!(ids.contains(id), "{} lacks {id}", language.tag());
            }
            for id in &ids {
                assert!(
                    english.contains(id),
                    "{} has {id}, English does not",
                    language.tag()
                );
            }
        }
    }

    #[test]
    fn every_message_formats_without_errors() {
        for (language, source) in SOURCES {
            for id in ids_of(source) {
                let bundle = &BUNDLES[language as usize];
                let Some(pattern) = bundle.get_message(&id).and_then(|m| m.value()) else {
                    panic!("{}: {id} has no value", language.tag());
                };
                let mut args = FluentArgs::new();
                for name in [
                    "name", "email", "account", "console", "count", "date", "reseller", "id",
                    "detail",
                ] {
                    args.set(name, FluentValue::from("x"));
                }
                let mut errors = vec![];
                let _ = bundle.format_pattern(pattern, Some(&args), &mut errors);
                assert!(errors.is_empty(), "{}: {id}: {errors:?}", language.tag());
            }
        }
    }

    #[test]
    fn the_seeds_words_are_used() {
        assert_eq!(
            tr(Language::Id, "console-support"),
            "Portal Layanan Pelanggan"
        );
        assert_eq!(
            tr(Language::Ja, "console-partner"),
            "パートナー セールス コンソール"
        );
        assert_eq!(tr(Language::Ja, "console-admin"), "管理コンソール");
        assert_eq!(
            tr_with(Language::En, "signed-in-as", &[("email", "a@b.example")]),
            "Signed in as a@b.example"
        );
    }
}
