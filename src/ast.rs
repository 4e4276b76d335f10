//! The syntax tree of a rules file, as lowered from the grammar.
//!
//! Every node carries a [`Span`]. The tree holds names exactly as written;
//! nothing here is resolved or typed (that is `check`'s job). Spans do not
//! take part in equality, so structural tests can compare trees freely.

use crate::i18n::Bilingual;
use crate::source::Span;

/// A value with the place it was written.
#[derive(Clone, Debug)]
pub struct Spanned<T> {
    /// The value.
    pub node: T,
    /// Where it was written.
    pub span: Span,
}

impl<T: PartialEq> PartialEq for Spanned<T> {
    fn eq(&self, other: &Self) -> bool {
        self.node == other.node
    }
}

impl<T> Spanned<T> {
    /// Wraps `node` with `span`.
    pub fn new(node: T, span: Span) -> Self {
        Spanned { node, span }
    }
}

/// A name, path, unit or string as written.
pub type Name = Spanned<String>;

/// Text in the pack's two languages, each side with the place it was written.
pub type Labels = Bilingual<Spanned<String>>;

/// One rules file.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct File {
    /// Its declarations in order.
    pub items: Vec<Item>,
}

/// A top-level declaration.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// `pack "name" { … }`
    Pack(PackDecl),
    /// `enum Name { … }`
    Enum(EnumDecl),
    /// `group Name { … }`
    Group(GroupDecl),
    /// `record kind { … }`
    Record(RecordDecl),
    /// `table name by Enum { … }`
    Table(TableDecl),
    /// `let name for kind = …`
    Let(LetDecl),
    /// `rule id { … }`
    Rule(Box<RuleDecl>),
    /// `template name(params) { … }`
    Template(Box<TemplateDecl>),
    /// `unit 亩 = 10000/15 m²`
    Unit(UnitDecl),
}

/// `unit SYMBOL = FACTOR UNIT`: a unit of the pack.
#[derive(Clone, Debug, PartialEq)]
pub struct UnitDecl {
    /// The symbol declared.
    pub symbol: Name,
    /// The factor's numerator and denominator, as written.
    pub factor: (Spanned<String>, Option<Spanned<String>>),
    /// The unit it is a multiple of.
    pub of: Name,
    /// The whole declaration.
    pub span: Span,
}

/// `template name(param, …) { entries }`: rule entries said once.
#[derive(Clone, Debug, PartialEq)]
pub struct TemplateDecl {
    /// Its name.
    pub name: Name,
    /// Its parameters, without the `$`.
    pub params: Vec<Name>,
    /// Its entries, held as a rule's: only `when`, `lets` and `requires`
    /// are ever set (the grammar allows no other entry in a template).
    pub body: RuleDecl,
    /// The whole declaration.
    pub span: Span,
}

/// `use name(arg, …)` in a rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Use {
    /// The template.
    pub template: Name,
    /// The arguments, in the order of the template's parameters.
    pub args: Vec<Expr>,
    /// The whole entry.
    pub span: Span,
}

/// The pack header.
#[derive(Clone, Debug, PartialEq)]
pub struct PackDecl {
    /// The pack's name.
    pub name: Name,
    /// Its title.
    pub title: Option<Labels>,
    /// First and last day in force.
    pub period: Option<(Spanned<String>, Spanned<String>)>,
    /// The cited document, relative to the pack folder.
    pub source: Option<Name>,
    /// The whole header.
    pub span: Span,
}

/// An enumeration.
#[derive(Clone, Debug, PartialEq)]
pub struct EnumDecl {
    /// Its name.
    pub name: Name,
    /// Its description.
    pub labels: Option<Labels>,
    /// Its values.
    pub values: Vec<EnumValue>,
}

/// One enumeration value.
#[derive(Clone, Debug, PartialEq)]
pub struct EnumValue {
    /// The value as it appears in submissions.
    pub name: Name,
    /// Its description.
    pub labels: Option<Labels>,
}

/// A reusable set of fields.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupDecl {
    /// Its name.
    pub name: Name,
    /// Its fields.
    pub fields: Vec<FieldDecl>,
}

/// A submission kind.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordDecl {
    /// The kind, as in the submission's `kind`.
    pub name: Name,
    /// Its description.
    pub labels: Option<Labels>,
    /// The field that dates a record.
    pub dated_by: Option<Name>,
    /// Its fields.
    pub fields: Vec<FieldDecl>,
    /// Consistency checks on input values.
    pub checks: Vec<RecordCheck>,
}

/// `check COND at PATH message …`
#[derive(Clone, Debug, PartialEq)]
pub struct RecordCheck {
    /// Must hold, else the value at `at` is invalid.
    pub condition: Expr,
    /// The value blamed.
    pub at: Name,
    /// What to say.
    pub message: Labels,
}

/// A declared field.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldDecl {
    /// Dotted path.
    pub path: Name,
    /// Type or unit.
    pub ty: TypeRef,
    /// Absent → the record is invalid.
    pub required: bool,
    /// Absent → this value.
    pub default: Option<Default>,
    /// Lower bound of a number: `(value, inclusive)`.
    pub bound: Option<Spanned<(String, bool)>>,
    /// Description.
    pub labels: Option<Labels>,
}

/// The value of an absent field.
#[derive(Clone, Debug, PartialEq)]
pub struct Default {
    /// The value.
    pub value: DefaultValue,
    /// When this holds, the field is needed after all and absence is `missing`.
    pub unless: Option<Expr>,
}

/// A default expression or a text template.
#[derive(Clone, Debug, PartialEq)]
pub enum DefaultValue {
    /// An expression.
    Expr(Expr),
    /// A text with `{…}` interpolations.
    Template(Template),
}

/// A field type as written.
#[derive(Clone, Debug, PartialEq)]
pub enum TypeRef {
    /// A name: `text`, `bool`, `date`, `year`, `number`, an enum, a group, or a unit.
    Named(Name),
    /// `list of Name`
    List(Name),
}

/// `table name by Enum { … }`
#[derive(Clone, Debug, PartialEq)]
pub struct TableDecl {
    /// Its name.
    pub name: Name,
    /// The enumeration of its keys.
    pub key: Name,
    /// Entries; the key `default` covers the rest.
    pub entries: Vec<(Name, Expr)>,
}

/// `let name [: Type] for kind = expr`
#[derive(Clone, Debug, PartialEq)]
pub struct LetDecl {
    /// Its name.
    pub name: Name,
    /// Its declared type (an enumeration), if any.
    pub ty: Option<Name>,
    /// The record kind it is derived from.
    pub kind: Name,
    /// Its definition.
    pub value: Expr,
}

/// A rule.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleDecl {
    /// Its id.
    pub id: Name,
    /// Its title.
    pub title: Option<Labels>,
    /// `binding`, `expected`, `in_principle` or `prohibition`.
    pub force: Option<Name>,
    /// The record kind it applies to.
    pub subject: Option<Name>,
    /// First day in force.
    pub from: Option<Spanned<String>>,
    /// Last day in force.
    pub until: Option<Spanned<String>>,
    /// Citations.
    pub cites: Vec<Citation>,
    /// Notes (contradictions of the plan and the like).
    pub note: Option<Labels>,
    /// Applicability condition.
    pub when: Option<Expr>,
    /// Local derived values.
    pub lets: Vec<(Name, Expr)>,
    /// Requirements; all must hold.
    pub requires: Vec<Require>,
    /// Examples.
    pub examples: Vec<Example>,
    /// Templates whose entries the rule takes (kept after expansion: a
    /// rule whose template is unknown is not also told it lacks `require`).
    pub uses: Vec<Use>,
    /// The whole rule.
    pub span: Span,
}

/// `cite "section" "quote" …`
#[derive(Clone, Debug, PartialEq)]
pub struct Citation {
    /// The section of the plan.
    pub section: Name,
    /// Verbatim fragments.
    pub quotes: Vec<Name>,
}

/// One requirement of a rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Require {
    /// The condition that must hold.
    pub condition: Expr,
    /// A path to the target for indicators judged before their target year.
    pub track: Option<Track>,
    /// The value a finding points at.
    pub at: Option<Name>,
    /// The finding's message.
    pub message: Message,
    /// The whole requirement.
    pub span: Span,
}

/// `by YEAR path KIND from BASE since YEAR`
#[derive(Clone, Debug, PartialEq)]
pub struct Track {
    /// Target year.
    pub by: Spanned<String>,
    /// `linear` or `compound`.
    pub kind: Name,
    /// Baseline value.
    pub from: Expr,
    /// Baseline year.
    pub since: Expr,
}

/// Message templates in both languages.
pub type Message = Bilingual<Template>;

/// A text with `{expr}` interpolations.
#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    /// Literal text and expressions in order.
    pub parts: Vec<TemplatePart>,
    /// The whole string literal.
    pub span: Span,
}

/// Part of a template.
#[derive(Clone, Debug, PartialEq)]
pub enum TemplatePart {
    /// Verbatim text.
    Text(String),
    /// An interpolated expression.
    Expr(Expr),
}

/// `example OUTCOME { … }`
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    /// The expected outcome.
    pub outcome: Name,
    /// The JSON text of the record.
    pub json: Spanned<String>,
}

/// An expression.
pub type Expr = Spanned<ExprKind>;

/// The shapes of expressions.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// A number with an optional unit (both as written).
    Quantity {
        /// Decimal digits.
        number: String,
        /// Unit symbol.
        unit: Option<Name>,
    },
    /// A string literal.
    Str(String),
    /// `true` / `false`.
    Bool(bool),
    /// A field path, derived value or local name.
    Path(String),
    /// `[a, b]`
    List(Vec<Expr>),
    /// `name(args)`
    Call(Name, Vec<Expr>),
    /// `table[key]`
    Lookup(Name, Box<Expr>),
    /// `if c then a else b`
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    /// A prefix operator.
    Unary(UnaryOp, Box<Expr>),
    /// An infix operator.
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
}

/// Prefix operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    /// `not`
    Not,
    /// `-`
    Neg,
}

/// Infix operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    Or,
    And,
    Otherwise,
    In,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
}

impl BinaryOp {
    /// The operator as users write it in messages.
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Or => "or",
            BinaryOp::And => "and",
            BinaryOp::Otherwise => "otherwise",
            BinaryOp::In => "in",
            BinaryOp::Eq => "=",
            BinaryOp::Ne => "≠",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "≤",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => "≥",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "×",
            BinaryOp::Div => "÷",
        }
    }

    /// Whether this is an ordering or equality comparison.
    pub fn is_comparison(self) -> bool {
        matches!(
            self,
            BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge
        )
    }
}
