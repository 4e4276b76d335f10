//! The declared fields of a record kind as a tree of JSON members, so a
//! record is read in one pass over its text.

use super::{FieldDef, FieldId};

/// The declared fields as nested JSON members: node 0 is the record object.
#[derive(Clone, Debug, Default)]
pub struct SchemaTree {
    /// Nodes; each names its members (sorted by name) and its field, if it is one.
    pub nodes: Vec<SchemaNode>,
}

/// One JSON member of the schema.
#[derive(Clone, Debug, Default)]
pub struct SchemaNode {
    /// The dotted path of this member ("" for the record).
    pub path: String,
    /// The field declared at this path.
    pub field: Option<FieldId>,
    /// Members: name and node index, sorted by name.
    pub members: Vec<(String, usize)>,
}

impl SchemaTree {
    /// Builds the tree of `fields`.
    pub fn build(fields: &[FieldDef]) -> SchemaTree {
        let mut tree = SchemaTree {
            nodes: vec![SchemaNode::default()],
        };
        for (i, f) in fields.iter().enumerate() {
            let mut node = 0;
            let mut path = String::new();
            for seg in f.path.split('.') {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(seg);
                node = match tree.member(node, seg) {
                    Some(n) => n,
                    None => {
                        let n = tree.nodes.len();
                        tree.nodes.push(SchemaNode {
                            path: path.clone(),
                            field: None,
                            members: Vec::new(),
                        });
                        if let Some(parent) = tree.nodes.get_mut(node) {
                            let at = parent.members.partition_point(|(m, _)| m.as_str() < seg);
                            parent.members.insert(at, (seg.to_string(), n));
                        }
                        n
                    }
                };
            }
            if let Some(n) = tree.nodes.get_mut(node) {
                n.field = Some(FieldId(i));
            }
        }
        tree
    }

    /// The member `name` of node `node`.
    pub fn member(&self, node: usize, name: &str) -> Option<usize> {
        // Nodes have a few members (at most some dozens): comparing lengths and
        // first bytes before the text beats a binary search of string compares.
        let first = name.as_bytes().first();
        self.nodes
            .get(node)?
            .members
            .iter()
            .find(|(m, _)| m.len() == name.len() && m.as_bytes().first() == first && m == name)
            .map(|(_, n)| *n)
    }

    /// Every field at or below node `node`.
    pub fn fields_under(&self, node: usize, out: &mut Vec<FieldId>) {
        let Some(n) = self.nodes.get(node) else {
            return;
        };
        out.extend(n.field);
        for (_, child) in &n.members {
            self.fields_under(*child, out);
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
