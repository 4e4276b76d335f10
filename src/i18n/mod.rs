//! Languages: every text plancheck shows exists in Chinese and English.
//!
//! [`Lang`] names the language of one run; [`Bilingual`] holds a text (or a
//! template, or a labelled name) in both languages; [`msg`] is the catalogue
//! of every sentence the program itself says, each entry with its Chinese
//! and English side by side. Texts that come from a rule pack (titles,
//! messages, labels) are `Bilingual` values of the pack.

#[macro_use]
mod catalogue;
pub mod msg;

/// The language of messages.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub enum Lang {
    /// 中文
    Zh,
    /// English
    #[default]
    En,
}

impl Lang {
    /// Both languages, Chinese first.
    pub const ALL: [Lang; 2] = [Lang::Zh, Lang::En];

    /// The code used on the command line and in HTTP queries: `zh`, `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// Reads `zh` or `en` (also `zh-CN`, `en_US.UTF-8` and the like).
    pub fn parse(code: &str) -> Option<Lang> {
        let lower = code.trim().to_ascii_lowercase();
        if lower.starts_with("zh") {
            Some(Lang::Zh)
        } else if lower.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The separator of items in a running list: `、` or `, `.
    pub fn list_separator(self) -> &'static str {
        match self {
            Lang::Zh => "、",
            Lang::En => ", ",
        }
    }
}

/// A value in Chinese and in English.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Bilingual<T> {
    /// Chinese.
    pub zh: T,
    /// English.
    pub en: T,
}

impl<T> Bilingual<T> {
    /// Both sides.
    pub fn new(zh: T, en: T) -> Self {
        Bilingual { zh, en }
    }

    /// The side for `lang`.
    pub fn get(&self, lang: Lang) -> &T {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }

    /// Both sides mapped by `f`.
    pub fn map<U>(&self, mut f: impl FnMut(&T) -> U) -> Bilingual<U> {
        Bilingual {
            zh: f(&self.zh),
            en: f(&self.en),
        }
    }
}

impl Bilingual<String> {
    /// The text for `lang` as a `&str`.
    pub fn text(&self, lang: Lang) -> &str {
        self.get(lang).as_str()
    }
}

/// A text in both languages, made by `f` for each.
pub fn both(f: impl Fn(Lang) -> String) -> Bilingual<String> {
    Bilingual {
        zh: f(Lang::Zh),
        en: f(Lang::En),
    }
}

/// The language a user's environment asks for: the first set of `LC_ALL`,
/// `LC_MESSAGES`, `LANG` (POSIX precedence); where none is set, the system
/// locale (Windows, macOS); `en` when nothing says Chinese.
pub fn lang_from_env() -> Lang {
    lang_from_vars(|k| std::env::var(k).ok(), system_locale)
}

/// [`lang_from_env`] over given variables, for tests.
pub fn lang_from_vars(
    var: impl Fn(&str) -> Option<String>,
    system: impl Fn() -> Option<String>,
) -> Lang {
    for key in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        if let Some(v) = var(key).filter(|v| !v.is_empty()) {
            return if v.to_ascii_lowercase().starts_with("zh") {
                Lang::Zh
            } else {
                Lang::En
            };
        }
    }
    match system() {
        Some(l) if l.to_ascii_lowercase().starts_with("zh") => Lang::Zh,
        _ => Lang::En,
    }
}

/// The system locale where the environment names none: the user's default
/// locale on Windows (`GetUserDefaultLocaleName` through the registry value
/// `LocaleName`) and `AppleLocale` on macOS, read without linking platform APIs.
fn system_locale() -> Option<String> {
    if cfg!(target_os = "macos") {
        let out = std::process::Command::new("defaults")
            .args(["read", "-g", "AppleLocale"])
            .output()
            .ok()?;
        return Some(String::from_utf8_lossy(&out.stdout).trim().to_string());
    }
    if cfg!(windows) {
        let out = std::process::Command::new("reg")
            .args([
                "query",
                r"HKCU\Control Panel\International",
                "/v",
                "LocaleName",
            ])
            .output()
            .ok()?;
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        return text
            .lines()
            .find(|l| l.contains("LocaleName"))
            .and_then(|l| l.split_whitespace().last())
            .map(str::to_string);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_set_variable_wins() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        let none = || None;
        assert_eq!(
            lang_from_vars(env(&[("LANG", "zh_CN.UTF-8")]), none),
            Lang::Zh
        );
        assert_eq!(
            lang_from_vars(env(&[("LC_ALL", "en_US.UTF-8"), ("LANG", "zh_CN")]), none),
            Lang::En
        );
        assert_eq!(
            lang_from_vars(env(&[("LC_MESSAGES", "zh_TW"), ("LANG", "C")]), none),
            Lang::Zh
        );
        // An empty variable counts as unset.
        assert_eq!(
            lang_from_vars(env(&[("LC_ALL", ""), ("LANG", "zh_CN")]), none),
            Lang::Zh
        );
        assert_eq!(lang_from_vars(env(&[]), || Some("zh-CN".into())), Lang::Zh);
        assert_eq!(lang_from_vars(env(&[]), none), Lang::En);
    }
}
