//! The `catalogue!` macro: declares message functions with their Chinese
//! and English texts side by side, and lists every entry for tests.

/// Declares one function per message: `name(lang, args…) -> String`, and
/// `ENTRIES`, every entry's name with its two format strings.
///
/// ```text
/// catalogue! {
///     /// A record dated outside the plan's period.
///     out_of_period(date: Date) {
///         zh: "记录日期 {date} 不在规划期之内",
///         en: "the record's date {date} lies outside the plan's period",
///     }
/// }
/// ```
macro_rules! catalogue {
    ($(
        $(#[$doc:meta])*
        $name:ident ( $($arg:ident : $ty:ty),* $(,)? ) { zh: $zh:literal, en: $en:literal $(,)? }
    )*) => {
        $(
            $(#[$doc])*
            pub fn $name(lang: $crate::i18n::Lang, $($arg: $ty),*) -> String {
                match lang {
                    $crate::i18n::Lang::Zh => format!($zh),
                    $crate::i18n::Lang::En => format!($en),
                }
            }
        )*
        /// Every entry of this part of the catalogue: name, Chinese and English format strings.
        pub const ENTRIES: &[(&str, &str, &str)] = &[$((stringify!($name), $zh, $en)),*];
    };
}
