//! Static errors in a rule pack, found before any data is read.

use crate::source::Span;
use miette::Diagnostic;
use thiserror::Error;

/// One problem in a rule pack. `kind` says what; `span` says where.
#[derive(Debug, Error, Clone, PartialEq)]
#[error("{kind}")]
pub struct CheckError {
    /// What is wrong.
    pub kind: CheckErrorKind,
    /// Where, for sorting.
    pub at: Span,
    /// Where, for miette.
    pub span: miette::SourceSpan,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic for CheckError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(self.kind.code()))
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(
            miette::LabeledSpan::new_with_span(Some(self.kind.label().to_string()), self.span),
        )))
    }
}

impl CheckError {
    /// An error of `kind` at `at` with an optional help line.
    pub fn new(kind: CheckErrorKind, at: Span, help: Option<String>) -> Self {
        CheckError {
            kind,
            at,
            span: at.to_miette(),
            help,
        }
    }

    /// The stable code.
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }
}

/// The kinds of static errors, each with a stable code (see `diagnostics`).
#[derive(Debug, Error, Clone, PartialEq)]
pub enum CheckErrorKind {
    /// A name that is declared nowhere: `require land.aera >= 15 亩`.
    #[error("unknown {what} `{name}`")]
    Unknown {
        /// field, table, enumeration, rule, unit, …
        what: &'static str,
        /// The name.
        name: String,
    },
    /// A value not in the enumeration: `category == "industrail"`.
    #[error("`{value}` is not a value of `{enumeration}`")]
    NotInEnum {
        /// The value.
        value: String,
        /// The enumeration.
        enumeration: String,
    },
    /// An operand of the wrong type: `land.area and true`.
    #[error("{context} expects {expected}, found {found}")]
    TypeMismatch {
        /// Where the value is used.
        context: String,
        /// What it should be.
        expected: String,
        /// What it is.
        found: String,
    },
    /// A function called with the wrong number of arguments: `abs(a, b)`.
    #[error("`{function}` expects {expected} argument(s), found {found}")]
    WrongArity {
        /// The function.
        function: String,
        /// How many it takes.
        expected: usize,
        /// How many it was given.
        found: usize,
    },
    /// A group used inside a list, or nested more than 8 deep: `x : list of Indicators`.
    #[error("field `{field}` expects a group nested at most 8 deep, not in a list, found deeper nesting")]
    GroupNesting {
        /// The field the group is used for.
        field: String,
    },
    /// Quantities of different dimensions combined: `land.area >= 5000 万元`.
    #[error("cannot {op} {left} and {right}")]
    DimensionMismatch {
        /// The operation.
        op: String,
        /// Left dimension.
        left: String,
        /// Right dimension.
        right: String,
    },
    /// A unit symbol that plancheck does not know: `15 mu`.
    #[error("unknown unit `{unit}`")]
    UnknownUnit {
        /// The symbol.
        unit: String,
    },
    /// Two declarations with the same name: two `rule land.plot-ratio`.
    #[error("{what} `{name}` is declared twice")]
    Duplicate {
        /// What kind of declaration.
        what: &'static str,
        /// The name.
        name: String,
    },
    /// A declaration lacks a part it needs: a rule with no `force`.
    #[error("{what} `{name}` has no {part}")]
    MissingPart {
        /// What kind of declaration.
        what: &'static str,
        /// Its name.
        name: String,
        /// The part it lacks.
        part: &'static str,
    },
    /// A rule that cites nothing.
    #[error("rule `{rule}` has no citation")]
    NoCitation {
        /// The rule.
        rule: String,
    },
    /// A quote that does not occur byte for byte in the source document.
    #[error("quote not found verbatim in `{document}`")]
    QuoteNotFound {
        /// The source document.
        document: String,
    },
    /// The pack's source document cannot be read.
    #[error("cannot read the source document `{document}`: {reason}")]
    SourceUnreadable {
        /// Its path.
        document: String,
        /// Why.
        reason: String,
    },
    /// A pack without its `pack` header, or with two.
    #[error("{what}")]
    PackHeader {
        /// What is wrong.
        what: String,
    },
    /// A value that must be known at load time is not a constant: a table entry reading a field.
    #[error("{what} must be a constant")]
    NotConstant {
        /// What.
        what: &'static str,
    },
    /// An example that is not valid JSON or names an unknown outcome.
    #[error("{what}")]
    BadExample {
        /// What is wrong.
        what: String,
    },
    /// A derived value defined in terms of itself.
    #[error("`{name}` is defined in terms of itself")]
    Cycle {
        /// The value.
        name: String,
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
            | CheckErrorKind::GroupNesting { .. } => "T103",
            CheckErrorKind::Duplicate { .. } => "T104",
            CheckErrorKind::MissingPart { .. } => "T105",
            CheckErrorKind::PackHeader { .. } => "T106",
            CheckErrorKind::NotConstant { .. } => "T107",
            CheckErrorKind::BadExample { .. } => "T108",
            CheckErrorKind::Cycle { .. } => "T109",
            CheckErrorKind::DimensionMismatch { .. } => "U201",
            CheckErrorKind::UnknownUnit { .. } => "U202",
            CheckErrorKind::NoCitation { .. } => "C301",
            CheckErrorKind::QuoteNotFound { .. } => "C302",
            CheckErrorKind::SourceUnreadable { .. } => "C303",
        }
    }

    fn label(&self) -> &'static str {
        match self {
            CheckErrorKind::Unknown { .. } => "not declared",
            CheckErrorKind::NotInEnum { .. } => "not a value of the enumeration",
            CheckErrorKind::TypeMismatch { .. }
            | CheckErrorKind::WrongArity { .. }
            | CheckErrorKind::GroupNesting { .. } => "wrong type",
            CheckErrorKind::DimensionMismatch { .. } => "dimensions differ",
            CheckErrorKind::UnknownUnit { .. } => "unknown unit",
            CheckErrorKind::Duplicate { .. } => "declared again here",
            CheckErrorKind::MissingPart { .. } | CheckErrorKind::NoCitation { .. } => {
                "declared here"
            }
            CheckErrorKind::QuoteNotFound { .. } => "not in the source document",
            CheckErrorKind::SourceUnreadable { .. } => "named here",
            CheckErrorKind::PackHeader { .. } => "here",
            CheckErrorKind::NotConstant { .. } => "reads the record",
            CheckErrorKind::BadExample { .. } => "this example",
            CheckErrorKind::Cycle { .. } => "refers back to itself",
        }
    }
}
