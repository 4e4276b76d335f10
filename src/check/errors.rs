//! Static errors in a rule pack, found before any data is read. Every part
//! of a message that is words exists in both languages.

use crate::diagnostics::Localized;
use crate::i18n::{both, msg, Bilingual, Lang};
use crate::source::Span;
use std::fmt;

/// One problem in a rule pack. `kind` says what; `at` says where.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckError {
    /// What is wrong.
    pub kind: CheckErrorKind,
    /// Where.
    pub at: Span,
    /// How to fix it.
    pub help: Option<Bilingual<String>>,
}

impl CheckError {
    /// An error of `kind` at `at` with an optional help line.
    pub fn new(kind: CheckErrorKind, at: Span, help: Option<Bilingual<String>>) -> Self {
        CheckError { kind, at, help }
    }

    /// The stable code.
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// The diagnostic in both languages (without its source: `load` adds it).
    pub fn localized(&self) -> Localized {
        Localized {
            code: self.code(),
            message: both(|l| self.kind.message(l)),
            help: self.help.clone(),
            label: both(|l| self.kind.label(l)),
            span: Some(self.at.to_miette()),
            source: None,
        }
    }
}

impl fmt::Display for CheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.kind.message(Lang::En))
    }
}

impl std::error::Error for CheckError {}

/// The kinds of things a pack declares, named in messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Thing {
    /// A field of a record.
    Field,
    /// A name in an expression: a field, a derived or local value.
    FieldOrValue,
    /// An enumeration.
    Enum,
    /// A value of an enumeration.
    EnumValue,
    /// A `let` of the pack.
    Derived,
    /// A `let` of a rule.
    Local,
    /// A record kind named by `subject` or `let … for`.
    RecordKind,
    /// A `record` declaration.
    Record,
    /// A rule.
    Rule,
    /// A lookup table.
    Table,
    /// A key of a lookup table.
    TableKey,
    /// A built-in function.
    Function,
    /// An outcome of an example.
    Outcome,
    /// The pack.
    Pack,
    /// The `pack` header.
    PackHeader,
    /// `linear` or `compound`.
    PathKind,
    /// A rule's force.
    Force,
    /// A field's type.
    TypeOrUnit,
    /// A `template` declaration.
    Template,
    /// A `$name` of a template.
    Parameter,
    /// A `unit` declaration.
    Unit,
}

impl Thing {
    /// The thing in words.
    pub fn name(self, lang: Lang) -> String {
        use msg::pack as m;
        match self {
            Thing::Field => m::thing_field(lang),
            Thing::FieldOrValue => m::thing_field_or_value(lang),
            Thing::Enum => m::thing_enum(lang),
            Thing::EnumValue => m::thing_enum_value(lang),
            Thing::Derived => m::thing_derived(lang),
            Thing::Local => m::thing_local(lang),
            Thing::RecordKind => m::thing_record_kind(lang),
            Thing::Record => m::thing_record(lang),
            Thing::Rule => m::thing_rule(lang),
            Thing::Table => m::thing_table(lang),
            Thing::TableKey => m::thing_table_key(lang),
            Thing::Function => m::thing_function(lang),
            Thing::Outcome => m::thing_outcome(lang),
            Thing::Pack => m::thing_pack(lang),
            Thing::PackHeader => m::thing_pack_header(lang),
            Thing::PathKind => m::thing_path_kind(lang),
            Thing::Force => m::thing_force(lang),
            Thing::TypeOrUnit => m::thing_type_or_unit(lang),
            Thing::Template => m::thing_template(lang),
            Thing::Parameter => m::thing_parameter(lang),
            Thing::Unit => m::thing_unit(lang),
        }
    }
}

/// The kinds of static errors, each with a stable code (see `diagnostics`).
#[derive(Debug, Clone, PartialEq)]
pub enum CheckErrorKind {
    /// A name that is declared nowhere: `require land.aera >= 15 亩`.
    Unknown {
        /// Field, table, enumeration, rule, unit, …
        what: Thing,
        /// The name.
        name: String,
    },
    /// A value not in the enumeration: `category == "industrail"`.
    NotInEnum {
        /// The value.
        value: String,
        /// The enumeration.
        enumeration: String,
    },
    /// An operand of the wrong type: `land.area and true`.
    TypeMismatch {
        /// Where the value is used.
        context: Bilingual<String>,
        /// What it should be.
        expected: Bilingual<String>,
        /// What it is.
        found: Bilingual<String>,
    },
    /// A function called with the wrong number of arguments: `abs(a, b)`.
    WrongArity {
        /// The function.
        function: String,
        /// How many it takes.
        expected: usize,
        /// How many it was given.
        found: usize,
    },
    /// A group used inside a list, or nested more than 8 deep: `x : list of Indicators`.
    GroupNesting {
        /// The field the group is used for.
        field: String,
    },
    /// Groups that expand one record into more fields than a pack may have.
    GroupFields {
        /// The field whose group went past the limit.
        field: String,
        /// The most fields a record may have.
        limit: usize,
    },
    /// Quantities of different dimensions combined: `land.area >= 5000 万元`.
    DimensionMismatch {
        /// The operation.
        op: Bilingual<String>,
        /// Left dimension.
        left: Bilingual<String>,
        /// Right dimension.
        right: Bilingual<String>,
    },
    /// A unit symbol that plancheck does not know: `15 muu`.
    UnknownUnit {
        /// The symbol.
        unit: String,
    },
    /// A `unit` declaration that cannot stand: `unit x = 0 m²`.
    BadUnit {
        /// The symbol declared.
        unit: String,
        /// Why.
        reason: Bilingual<String>,
    },
    /// Two declarations with the same name: two `rule land.plot-ratio`.
    Duplicate {
        /// What kind of declaration.
        what: Thing,
        /// The name.
        name: String,
    },
    /// A declaration lacks a part it needs: a rule with no `force`.
    MissingPart {
        /// What kind of declaration.
        what: Thing,
        /// Its name.
        name: String,
        /// The part it lacks (a keyword such as `` `force` ``, or words).
        part: Bilingual<String>,
    },
    /// A rule that cites nothing.
    NoCitation {
        /// The rule.
        rule: String,
    },
    /// A quote that does not occur byte for byte in the source document.
    QuoteNotFound {
        /// The source document.
        document: String,
    },
    /// The pack's source document cannot be read.
    SourceUnreadable {
        /// Its path.
        document: String,
        /// Why.
        reason: Bilingual<String>,
    },
    /// A pack without its `pack` header.
    NoHeader,
    /// A value that must be known at load time is not a constant: a table entry reading a field.
    NotConstant {
        /// What.
        what: Bilingual<String>,
    },
    /// An example that is not valid JSON.
    BadExample {
        /// Why.
        reason: String,
    },
    /// A derived value defined in terms of itself.
    Cycle {
        /// The value.
        name: String,
    },
    /// A range of dates that ends before it starts.
    ///
    /// Example: `period 2020-12-31 to 2016-01-01`, `in force from 2019-01-01 until 2018-01-01`.
    EndsBeforeStart {
        /// The start as written.
        start: String,
        /// The end as written.
        end: String,
    },
    /// A rule in force only outside the pack's period: it can never apply.
    ///
    /// Example: `in force until 2015-12-31` in a pack for 2016–2020.
    OutsidePeriod {
        /// The rule.
        rule: String,
        /// The pack's period, as written.
        period: String,
    },
    /// Derived values defined in terms of others, more deeply than evaluation allows.
    ///
    /// Example: `let d1 for project = d0 + 1 亩`, … `d40` built on `d39`.
    ChainTooLong {
        /// The value at which the limit is passed.
        name: String,
        /// The limit.
        max: usize,
    },
}

impl CheckErrorKind {
    /// The stable code of this kind.
    pub fn code(&self) -> &'static str {
        match self {
            CheckErrorKind::Unknown { .. } => "T101",
            CheckErrorKind::NotInEnum { .. } => "T102",
            // Arity and nesting are type errors of their own kinds, under the code they always had.
            CheckErrorKind::TypeMismatch { .. }
            | CheckErrorKind::WrongArity { .. }
            | CheckErrorKind::GroupNesting { .. }
            | CheckErrorKind::GroupFields { .. } => "T103",
            CheckErrorKind::Duplicate { .. } => "T104",
            CheckErrorKind::MissingPart { .. } => "T105",
            CheckErrorKind::NoHeader => "T106",
            CheckErrorKind::NotConstant { .. } => "T107",
            CheckErrorKind::BadExample { .. } => "T108",
            CheckErrorKind::Cycle { .. } => "T109",
            CheckErrorKind::ChainTooLong { .. } => "T110",
            CheckErrorKind::EndsBeforeStart { .. } => "T111",
            CheckErrorKind::OutsidePeriod { .. } => "T112",
            CheckErrorKind::DimensionMismatch { .. } => "U201",
            CheckErrorKind::UnknownUnit { .. } => "U202",
            CheckErrorKind::BadUnit { .. } => "U203",
            CheckErrorKind::NoCitation { .. } => "C301",
            CheckErrorKind::QuoteNotFound { .. } => "C302",
            CheckErrorKind::SourceUnreadable { .. } => "C303",
        }
    }

    /// What is wrong, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        use msg::pack as m;
        match self {
            CheckErrorKind::Unknown { what, name } => m::unknown(lang, &what.name(lang), name),
            CheckErrorKind::NotInEnum { value, enumeration } => {
                m::not_in_enum(lang, value, enumeration)
            }
            CheckErrorKind::TypeMismatch {
                context,
                expected,
                found,
            } => m::type_mismatch(
                lang,
                context.text(lang),
                expected.text(lang),
                found.text(lang),
            ),
            CheckErrorKind::WrongArity {
                function,
                expected,
                found,
            } => m::wrong_arity(lang, function, *expected, *found),
            CheckErrorKind::GroupNesting { field } => m::group_nesting(lang, field),
            CheckErrorKind::GroupFields { field, limit } => m::group_fields(lang, field, *limit),
            CheckErrorKind::DimensionMismatch { op, left, right } => {
                m::dimension_mismatch(lang, op.text(lang), left.text(lang), right.text(lang))
            }
            CheckErrorKind::UnknownUnit { unit } => m::unknown_unit(lang, unit),
            CheckErrorKind::BadUnit { unit, reason } => m::bad_unit(lang, unit, reason.text(lang)),
            CheckErrorKind::Duplicate { what, name } => m::duplicate(lang, &what.name(lang), name),
            CheckErrorKind::MissingPart { what, name, part } => {
                m::missing_part(lang, &what.name(lang), name, part.text(lang))
            }
            CheckErrorKind::NoCitation { rule } => m::no_citation(lang, rule),
            CheckErrorKind::QuoteNotFound { document } => m::quote_not_found(lang, document),
            CheckErrorKind::SourceUnreadable { document, reason } => {
                m::source_unreadable(lang, document, reason.text(lang))
            }
            CheckErrorKind::NoHeader => m::no_header(lang),
            CheckErrorKind::NotConstant { what } => m::not_constant(lang, what.text(lang)),
            CheckErrorKind::BadExample { reason } => m::example_not_json(lang, reason),
            CheckErrorKind::Cycle { name } => m::cycle(lang, name),
            CheckErrorKind::ChainTooLong { name, max } => m::chain_too_long(lang, name, *max),
            CheckErrorKind::EndsBeforeStart { start, end } => {
                m::ends_before_start(lang, start, end)
            }
            CheckErrorKind::OutsidePeriod { rule, period } => m::outside_period(lang, rule, period),
        }
    }

    /// The label on the span, in `lang`.
    pub fn label(&self, lang: Lang) -> String {
        use msg::pack as m;
        match self {
            CheckErrorKind::Unknown { .. } => m::label_not_declared(lang),
            CheckErrorKind::NotInEnum { .. } => m::label_not_in_enum(lang),
            CheckErrorKind::TypeMismatch { .. }
            | CheckErrorKind::WrongArity { .. }
            | CheckErrorKind::GroupNesting { .. }
            | CheckErrorKind::GroupFields { .. } => m::label_wrong_type(lang),
            CheckErrorKind::DimensionMismatch { .. } => m::label_dimensions_differ(lang),
            CheckErrorKind::UnknownUnit { .. } => m::label_unknown_unit(lang),
            CheckErrorKind::BadUnit { .. } => m::label_here(lang),
            CheckErrorKind::Duplicate { .. } => m::label_declared_again(lang),
            CheckErrorKind::MissingPart { .. } | CheckErrorKind::NoCitation { .. } => {
                m::label_declared_here(lang)
            }
            CheckErrorKind::QuoteNotFound { .. } => m::label_not_in_source(lang),
            CheckErrorKind::SourceUnreadable { .. } => m::label_named_here(lang),
            CheckErrorKind::NoHeader => m::label_here(lang),
            CheckErrorKind::NotConstant { .. } => m::label_reads_record(lang),
            CheckErrorKind::BadExample { .. } => m::label_this_example(lang),
            CheckErrorKind::Cycle { .. } => m::label_refers_back(lang),
            CheckErrorKind::ChainTooLong { .. } => m::label_built_on(lang),
            CheckErrorKind::EndsBeforeStart { .. } => m::label_reversed(lang),
            CheckErrorKind::OutsidePeriod { .. } => m::label_never_in_force(lang),
        }
    }
}

/// A keyword as a part or context: the same in both languages.
pub fn keyword(word: &str) -> Bilingual<String> {
    both(|l| msg::pack::ctx_keyword(l, word).trim_end().to_string())
}

/// A keyword as a context: followed by a space in Chinese.
pub fn keyword_ctx(word: &str) -> Bilingual<String> {
    both(|l| msg::pack::ctx_keyword(l, word))
}
