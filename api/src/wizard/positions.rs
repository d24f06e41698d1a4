//! Where each value sits in a YAML file: a pass over the parser's events that maps a path such
//! as `stappen[3].vragen[2].toon-als` to its line, so content-check messages can point there.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser};

#[derive(Debug, Default)]
pub struct Positions(HashMap<String, usize>);

enum Frame {
    Map { path: String, key: Option<String> },
    Seq { path: String, next: usize },
}

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

impl Positions {
    pub fn of(source: &str) -> Positions {
        let mut lines = HashMap::new();
        let mut stack: Vec<Frame> = Vec::new();
        for item in Parser::new_from_str(source) {
            let Ok((event, span)) = item else { break };
            let line = span.start.line();
            let starts_node = matches!(
                event,
                Event::Scalar(..)
                    | Event::MappingStart(..)
                    | Event::SequenceStart(..)
                    | Event::Alias(_)
            );
            if starts_node {
                // A scalar where a mapping expects a key is that key.
                if let (Some(Frame::Map { key, path }), Event::Scalar(text, ..)) =
                    (stack.last_mut(), &event)
                    && key.is_none()
                {
                    *key = Some(text.to_string());
                    lines.entry(join(path, text)).or_insert(line);
                    continue;
                }
                let path = match stack.last_mut() {
                    Some(Frame::Map { path, key }) => join(path, &key.take().unwrap_or_default()),
                    Some(Frame::Seq { path, next }) => {
                        *next += 1;
                        format!("{path}[{}]", *next - 1)
                    }
                    None => String::new(),
                };
                lines.entry(path.clone()).or_insert(line);
                match event {
                    Event::MappingStart(..) => stack.push(Frame::Map { path, key: None }),
                    Event::SequenceStart(..) => stack.push(Frame::Seq { path, next: 0 }),
                    _ => {}
                }
            } else if matches!(event, Event::MappingEnd | Event::SequenceEnd) {
                stack.pop();
            }
        }
        Positions(lines)
    }

    /// The line of `path`, or of its nearest ancestor that has one.
    pub fn line(&self, path: &str) -> usize {
        let mut p = path.to_string();
        loop {
            if let Some(line) = self.0.get(&p) {
                return *line;
            }
            match p.rfind(['.', '[']) {
                Some(i) => p.truncate(i),
                None => return 1,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_paths_to_lines() {
        let yaml = "versie: x\nstappen:\n  - id: a\n    vragen:\n      - id: a.b\n        toon-als: {\"==\": [1, 1]}\n";
        let p = Positions::of(yaml);
        assert_eq!(p.line("versie"), 1);
        assert_eq!(p.line("stappen[0].id"), 3);
        assert_eq!(p.line("stappen[0].vragen[0].toon-als"), 6);
        assert_eq!(p.line("stappen[0].vragen[0].bestaat-niet"), 5);
    }
}
