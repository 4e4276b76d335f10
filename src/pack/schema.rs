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
