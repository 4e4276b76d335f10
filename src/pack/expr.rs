//! Typed expressions of a checked pack, their operators and runtime values.

use super::{EnumId, FieldId, LetId, TableId};
use crate::source::Span;
use crate::units::{Date, Dim, Number, UnitRef};
use smol_str::SmolStr;
use std::sync::Arc;

/// A value type.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Type {
    /// true / false.
    Bool,
    /// Free text.
    Text,
    /// A calendar day.
    Date,
    /// A number of the given dimension.
    Num(Dim),
    /// One value of an enumeration.
    Enum(EnumId),
    /// A list.
    List(Box<Type>),
    /// The waivers of a record.
    Waivers,
}

/// A typed expression.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Expr {
    /// Shape.
    pub kind: ExprKind,
    /// Type.
    pub ty: Type,
    /// Source.
    pub span: Span,
}

/// Values available only inside messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Special {
    /// The submitted side of the comparison.
    Actual,
    /// The limit side (the year's point on a path).
    Limit,
    /// The distance between them.
    Gap,
    /// The final target of a path.
    Target,
}

/// Built-in functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Func {
    /// `abs(x)`
    Abs,
    /// `min(a, b)`
    Min,
    /// `max(a, b)`
    Max,
}

/// Resolved expression shapes.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub enum ExprKind {
    /// A constant.
    Const(Value),
    /// A field of the record.
    Field(FieldId),
    /// A derived value.
    Let(LetId),
    /// A rule-local value.
    Local(usize),
    /// `present(field)`
    Present(FieldId),
    /// `[…]`
    List(Vec<Expr>),
    /// `table[key]`
    Lookup(TableId, Box<Expr>),
    /// `if c then a else b`
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `not x`
    Not(Box<Expr>),
    /// `-x`
    Neg(Box<Expr>),
    /// Infix operator.
    Binary(Op, Box<Expr>, Box<Expr>),
    /// Function call.
    Call(Func, Vec<Expr>),
    /// `actual`, `limit`, `gap` or `target` in messages.
    Special(Special),
}

/// A runtime value.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Value {
    /// Boolean.
    Bool(bool),
    /// A number in base units, with a unit to display it in.
    Num(
        Number,
        #[serde(with = "crate::units::serde_unit")] Option<UnitRef>,
    ),
    /// Text or an enumeration value. A text of up to 23 bytes (every
    /// enumeration value of the default pack; about 7 Chinese characters)
    /// is held inline: copied into every record, it touches no reference
    /// count shared between the threads checking them (issue 15: a count
    /// written by two cores made each record's reading wait on the other
    /// core's cache). A longer one shares a count, as an `Arc<str>` did.
    Text(SmolStr),
    /// A day.
    Date(Date),
    /// A list.
    List(Arc<[Value]>),
}

/// Infix operators of checked expressions (the syntax tree has its own).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Op {
    /// `or`
    Or,
    /// `and`
    And,
    /// `otherwise`: the right side stands in for an absent left side.
    Otherwise,
    /// `in`
    In,
    /// `=`
    Eq,
    /// `≠`
    Ne,
    /// `<`
    Lt,
    /// `≤`
    Le,
    /// `>`
    Gt,
    /// `≥`
    Ge,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `×`
    Mul,
    /// `÷`
    Div,
}

impl Op {
    /// Whether this is an ordering or equality comparison.
    pub fn is_comparison(self) -> bool {
        matches!(self, Op::Eq | Op::Ne | Op::Lt | Op::Le | Op::Gt | Op::Ge)
    }

    /// The operator as users write it in messages.
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Or => "or",
            Op::And => "and",
            Op::Otherwise => "otherwise",
            Op::In => "in",
            Op::Eq => "=",
            Op::Ne => "≠",
            Op::Lt => "<",
            Op::Le => "≤",
            Op::Gt => ">",
            Op::Ge => "≥",
            Op::Add => "+",
            Op::Sub => "-",
            Op::Mul => "×",
            Op::Div => "÷",
        }
    }
}

impl Expr {
    /// The expressions directly inside this one, in order.
    pub fn children(&self) -> impl Iterator<Item = &Expr> {
        let (one, two, three, many): (Option<&Expr>, Option<&Expr>, Option<&Expr>, &[Expr]) =
            match &self.kind {
                ExprKind::Const(_)
                | ExprKind::Field(_)
                | ExprKind::Let(_)
                | ExprKind::Local(_)
                | ExprKind::Present(_)
                | ExprKind::Special(_) => (None, None, None, &[]),
                ExprKind::List(xs) | ExprKind::Call(_, xs) => (None, None, None, xs.as_slice()),
                ExprKind::Lookup(_, x) | ExprKind::Not(x) | ExprKind::Neg(x) => {
                    (Some(&**x), None, None, &[])
                }
                ExprKind::If(a, b, c) => (Some(&**a), Some(&**b), Some(&**c), &[]),
                ExprKind::Binary(_, a, b) => (Some(&**a), Some(&**b), None, &[]),
            };
        one.into_iter().chain(two).chain(three).chain(many.iter())
    }

    /// Visits this expression and every expression inside it, depth first,
    /// without recursion (a pack's expressions may be long). `visit` returns
    /// whether to descend into the expression it was given.
    pub fn walk<'e>(&'e self, mut visit: impl FnMut(&'e Expr) -> bool) {
        let mut stack: Vec<&'e Expr> = vec![self];
        while let Some(e) = stack.pop() {
            if visit(e) {
                let before = stack.len();
                stack.extend(e.children());
                // Children are visited in order.
                stack[before..].reverse();
            }
        }
    }
}
