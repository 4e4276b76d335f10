//! The declared fields of a record kind as a tree of JSON members, so a
//! record is read in one pass over its text.

use super::{FieldDef, FieldId};

/// The declared fields as nested JSON members: node 0 is the record object.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct SchemaTree {
    /// Nodes; each names its members (sorted by name) and its field, if it is one.
    pub nodes: Vec<SchemaNode>,
}

/// One JSON member of the schema.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct SchemaNode {
    /// The dotted path of this member ("" for the record).
    pub path: String,
    /// The field declared at this path.
    pub field: Option<FieldId>,
    /// Members: name and node index, sorted by name.
    pub members: Vec<(String, usize)>,
    /// Positions in `members` in the order the fields were declared: the
    /// order records are usually written in (a template's, a form's), so
    /// reading a record tries the member after the last one found first.
    pub declared: Vec<u32>,
}

impl SchemaTree {
    /// Builds the tree of `fields`.
    pub fn build(fields: &[FieldDef]) -> SchemaTree {
        let mut tree = SchemaTree {
            nodes: vec![SchemaNode::default()],
        };
        // Members by parent and name while building; sorted once at the end.
        let mut made: std::collections::HashMap<(usize, &str), usize> =
            std::collections::HashMap::new();
        for (i, f) in fields.iter().enumerate() {
            let mut node = 0;
            let mut end = 0;
            for seg in f.path.split('.') {
                end += seg.len();
                let path = f.path.get(..end).unwrap_or(&f.path);
                end += 1;
                node = match made.get(&(node, seg)) {
                    Some(n) => *n,
                    None => {
                        let n = tree.nodes.len();
                        tree.nodes.push(SchemaNode {
                            path: path.to_string(),
                            field: None,
                            members: Vec::new(),
                            declared: Vec::new(),
                        });
                        if let Some(parent) = tree.nodes.get_mut(node) {
                            parent.members.push((seg.to_string(), n));
                        }
                        made.insert((node, seg), n);
                        n
                    }
                };
            }
            if let Some(n) = tree.nodes.get_mut(node) {
                n.field = Some(FieldId(i));
            }
        }
        for n in &mut tree.nodes {
            n.members.sort_by(|a, b| a.0.cmp(&b.0));
            // Nodes are numbered as they are declared.
            let mut declared: Vec<u32> = (0..n.members.len())
                .filter_map(|i| u32::try_from(i).ok())
                .collect();
            declared.sort_by_key(|&i| n.members.get(i as usize).map(|(_, child)| *child));
            n.declared = declared;
        }
        tree
    }

    /// The member `name` of node `node`, trying first the one declared after
    /// the member found last (`cursor`, a position in declaration order,
    /// kept by the caller from member to member of one object).
    pub fn member_after(&self, node: usize, name: &str, cursor: &mut usize) -> Option<usize> {
        let n = self.nodes.get(node)?;
        let next = n
            .declared
            .get(*cursor)
            .and_then(|&i| n.members.get(i as usize));
        if let Some((m, child)) = next {
            if m == name {
                *cursor += 1;
                return Some(*child);
            }
        }
        let child = self.member(node, name)?;
        // Looking for the place costs as much as a search: only among a few.
        if n.members.len() <= 32 {
            if let Some(p) = n
                .declared
                .iter()
                .position(|&i| n.members.get(i as usize).is_some_and(|(_, c)| *c == child))
            {
                *cursor = p + 1;
            }
        }
        Some(child)
    }

    /// The member `name` of node `node`.
    pub fn member(&self, node: usize, name: &str) -> Option<usize> {
        let members = &self.nodes.get(node)?.members;
        // Nodes have a few members (at most some dozens): comparing lengths and
        // first bytes before the text beats a binary search of string compares;
        // a pack with thousands of fields under one group is searched by halves.
        if members.len() > 32 {
            return members
                .binary_search_by(|(m, _)| m.as_str().cmp(name))
                .ok()
                .and_then(|i| members.get(i))
                .map(|(_, n)| *n);
        }
        let first = name.as_bytes().first();
        members
            .iter()
            .find(|(m, _)| m.len() == name.len() && m.as_bytes().first() == first && m == name)
            .map(|(_, n)| *n)
    }

    /// Every field at or below node `node`.
    pub fn fields_under(&self, node: usize, out: &mut Vec<FieldId>) {
        let mut stack = vec![node];
        while let Some(at) = stack.pop() {
            let Some(n) = self.nodes.get(at) else {
                continue;
            };
            out.extend(n.field);
            stack.extend(n.members.iter().rev().map(|(_, child)| *child));
        }
    }
}

/// A dotted path as a JSON Pointer: `land.area` → `/land/area`.
pub fn pointer_of(path: &str) -> String {
    let mut s = String::with_capacity(path.len() + 1);
    for seg in path.split('.') {
        s.push('/');
        s.push_str(&seg.replace('~', "~0").replace('/', "~1"));
    }
    s
}

/// What a member holds, as the direct reader needs to know it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A group of members.
    Group,
    /// A field of type `bool`.
    Bool,
    /// A field of free text.
    Text,
    /// A field of an enumeration.
    Enum(super::EnumId),
    /// The waivers.
    Waivers,
    /// Any other field (numbers, dates, lists).
    Other,
}

impl Shape {
    /// The shape of a member that is `field` (`None`: a group).
    pub fn of(field: Option<&FieldDef>) -> Shape {
        match field.map(|f| &f.ty) {
            None => Shape::Group,
            Some(super::Type::Bool) => Shape::Bool,
            Some(super::Type::Text) => Shape::Text,
            Some(super::Type::Enum(id)) => Shape::Enum(*id),
            Some(super::Type::Waivers) => Shape::Waivers,
            Some(_) => Shape::Other,
        }
    }
}

/// One member of a schema node, as read in declaration order.
#[derive(Clone, Copy, Debug)]
pub struct Step {
    /// The name's bytes in [`ReadingPlan::names`].
    pub name: (u32, u32),
    /// Whether the name is written as it is in JSON (no quote, backslash
    /// or control character in it).
    pub plain: bool,
    /// Its schema node.
    pub child: u32,
    /// Its field, if it is one.
    pub field: Option<FieldId>,
    /// What it holds.
    pub shape: Shape,
}

/// The schema tree laid out for reading records as they are usually
/// written, member after member in declaration order: one table of steps
/// and one run of name bytes, so that reading a member touches a line or
/// two of memory, not a node, its member list, a name on the heap and a
/// field's declaration. Built from the tree and the fields whenever a pack
/// is loaded; never stored.
#[derive(Clone, Debug, Default)]
pub struct ReadingPlan {
    /// Per schema node, its steps: a range of `steps`.
    pub nodes: Vec<(u32, u32)>,
    /// Every node's members in declaration order, node after node.
    pub steps: Vec<Step>,
    /// The members' names, one after another.
    pub names: Vec<u8>,
}

impl ReadingPlan {
    /// The plan of `tree` over `fields`.
    pub fn build(tree: &SchemaTree, fields: &[FieldDef]) -> ReadingPlan {
        let mut plan = ReadingPlan::default();
        let to32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        for node in &tree.nodes {
            let first = to32(plan.steps.len());
            for (name, child) in node
                .declared
                .iter()
                .filter_map(|&i| node.members.get(i as usize))
            {
                let start = to32(plan.names.len());
                plan.names.extend_from_slice(name.as_bytes());
                let field = tree.nodes.get(*child).and_then(|c| c.field);
                let shape = Shape::of(field.and_then(|f| fields.get(f.0)));
                plan.steps.push(Step {
                    name: (start, to32(plan.names.len())),
                    plain: !name.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20),
                    child: to32(*child),
                    field,
                    shape,
                });
            }
            plan.nodes.push((first, to32(plan.steps.len())));
        }
        plan
    }

    /// The member at position `cursor` of node `node`, in declaration order.
    pub fn step(&self, node: usize, cursor: usize) -> Option<(&Step, &[u8])> {
        let (first, end) = *self.nodes.get(node)?;
        let at = (first as usize).checked_add(cursor)?;
        if at >= end as usize {
            return None;
        }
        let step = self.steps.get(at)?;
        let name = self.names.get(step.name.0 as usize..step.name.1 as usize)?;
        Some((step, name))
    }
}
