//! A line-by-line port of path-to-regexp 6 as vendored in `@clerk/shared` (`lexer` → `parse` →
//! `tokensToRegexp`, default options: `prefixes "./"`, `delimiter "/#?"`, not strict, anchored at
//! both ends, `sensitive: false`). It produces the exact RegExp *source* JS would build, over
//! UTF-16 code units like the JS original, or the exact TypeError message JS would throw.

const PREFIXES: &[u16] = &[b'.' as u16, b'/' as u16];
const DELIMITER: &[u16] = &[b'/' as u16, b'#' as u16, b'?' as u16];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Modifier,
    EscapedChar,
    Open,
    Close,
    Name,
    Pattern,
    Char,
    End,
}

impl Kind {
    fn js_name(self) -> &'static str {
        match self {
            Kind::Modifier => "MODIFIER",
            Kind::EscapedChar => "ESCAPED_CHAR",
            Kind::Open => "OPEN",
            Kind::Close => "CLOSE",
            Kind::Name => "NAME",
            Kind::Pattern => "PATTERN",
            Kind::Char => "CHAR",
            Kind::End => "END",
        }
    }
}

struct Token {
    kind: Kind,
    index: usize,
    /// `None` models JS `undefined` (an escape at the very end of the pattern).
    value: Option<Vec<u16>>,
}

fn ascii(text: &str) -> Vec<u16> {
    text.encode_utf16().collect()
}

fn lexer(s: &[u16]) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let mut i = 0;
    let unit = |i: usize| s.get(i).copied();
    while i < s.len() {
        let c = s[i];
        let one = |i: usize| Some(vec![s[i]]);
        if c == u16::from(b'*') || c == u16::from(b'+') || c == u16::from(b'?') {
            tokens.push(Token {
                kind: Kind::Modifier,
                index: i,
                value: one(i),
            });
            i += 1;
            continue;
        }
        if c == u16::from(b'\\') {
            tokens.push(Token {
                kind: Kind::EscapedChar,
                index: i,
                value: unit(i + 1).map(|u| vec![u]),
            });
            i += 2;
            continue;
        }
        if c == u16::from(b'{') {
            tokens.push(Token {
                kind: Kind::Open,
                index: i,
                value: one(i),
            });
            i += 1;
            continue;
        }
        if c == u16::from(b'}') {
            tokens.push(Token {
                kind: Kind::Close,
                index: i,
                value: one(i),
            });
            i += 1;
            continue;
        }
        if c == u16::from(b':') {
            let mut name = Vec::new();
            let mut j = i + 1;
            while let Some(u) = unit(j) {
                let ok = (48..=57).contains(&u)
                    || (65..=90).contains(&u)
                    || (97..=122).contains(&u)
                    || u == 95;
                if !ok {
                    break;
                }
                name.push(u);
                j += 1;
            }
            if name.is_empty() {
                return Err(format!("Missing parameter name at {i}"));
            }
            tokens.push(Token {
                kind: Kind::Name,
                index: i,
                value: Some(name),
            });
            i = j;
            continue;
        }
        if c == u16::from(b'(') {
            let mut count = 1;
            let mut pattern = Vec::new();
            let mut j = i + 1;
            if unit(j) == Some(u16::from(b'?')) {
                return Err(format!("Pattern cannot start with \"?\" at {j}"));
            }
            while j < s.len() {
                if s[j] == u16::from(b'\\') {
                    pattern.push(s[j]);
                    // JS appends `undefined` here at the very end; the pattern is then unbalanced.
                    pattern.extend(unit(j + 1));
                    j += 2;
                    continue;
                }
                if s[j] == u16::from(b')') {
                    count -= 1;
                    if count == 0 {
                        j += 1;
                        break;
                    }
                } else if s[j] == u16::from(b'(') {
                    count += 1;
                    if unit(j + 1) != Some(u16::from(b'?')) {
                        return Err(format!("Capturing groups are not allowed at {j}"));
                    }
                }
                pattern.push(s[j]);
                j += 1;
            }
            if count != 0 {
                return Err(format!("Unbalanced pattern at {i}"));
            }
            if pattern.is_empty() {
                return Err(format!("Missing pattern at {i}"));
            }
            tokens.push(Token {
                kind: Kind::Pattern,
                index: i,
                value: Some(pattern),
            });
            i = j;
            continue;
        }
        tokens.push(Token {
            kind: Kind::Char,
            index: i,
            value: one(i),
        });
        i += 1;
    }
    tokens.push(Token {
        kind: Kind::End,
        index: i,
        value: Some(Vec::new()),
    });
    Ok(tokens)
}

#[derive(Clone, Debug, PartialEq)]
enum KeyName {
    Named(Vec<u16>),
    Index(u32),
    /// `""` in JS: a group `{…}` with neither name nor pattern.
    Blank,
}

impl KeyName {
    fn display(&self) -> String {
        match self {
            KeyName::Named(name) => String::from_utf16_lossy(name),
            KeyName::Index(index) => index.to_string(),
            KeyName::Blank => String::new(),
        }
    }
}

struct Key {
    name: KeyName,
    prefix: Vec<u16>,
    suffix: Vec<u16>,
    pattern: Vec<u16>,
    modifier: Vec<u16>,
}

enum Part {
    Text(Vec<u16>),
    Key(Key),
}

fn escape_string(s: &[u16]) -> Vec<u16> {
    const SPECIAL: &[u8] = b".+*?=^!:${}()[]|/\\";
    let mut out = Vec::with_capacity(s.len());
    for &u in s {
        if u < 0x80 && SPECIAL.contains(&(u as u8)) {
            out.push(u16::from(b'\\'));
        }
        out.push(u);
    }
    out
}

fn has_delimiter(s: &[u16]) -> bool {
    s.iter().any(|u| DELIMITER.contains(u))
}

struct ParseState<'a> {
    tokens: &'a [Token],
    i: usize,
}

impl ParseState<'_> {
    /// JS `tryConsume`: advances on a kind match and returns the value, which may be `undefined`.
    fn try_consume(&mut self, kind: Kind) -> Option<Vec<u16>> {
        match self.tokens.get(self.i) {
            Some(token) if token.kind == kind => {
                self.i += 1;
                token.value.clone()
            }
            _ => None,
        }
    }

    /// Truthy value (a non-empty string) or nothing.
    fn truthy(&mut self, kind: Kind) -> Option<Vec<u16>> {
        self.try_consume(kind).filter(|v| !v.is_empty())
    }

    fn must_consume(&mut self, kind: Kind) -> Result<(), String> {
        match self.tokens.get(self.i) {
            Some(token) if token.kind == kind => {
                self.i += 1;
                Ok(())
            }
            Some(token) => Err(format!(
                "Unexpected {} at {}, expected {}",
                token.kind.js_name(),
                token.index,
                kind.js_name()
            )),
            None => Err(format!("Unexpected undefined, expected {}", kind.js_name())),
        }
    }

    fn consume_text(&mut self) -> Vec<u16> {
        let mut result = Vec::new();
        loop {
            let value = match self.truthy(Kind::Char) {
                Some(v) => Some(v),
                None => self.truthy(Kind::EscapedChar),
            };
            match value {
                Some(v) => result.extend(v),
                None => return result,
            }
        }
    }
}

/// JS `safePattern(prefix)`: the default parameter pattern, given what precedes it.
fn safe_pattern(result: &[Part], prefix: &[u16]) -> Result<Vec<u16>, String> {
    let previous = result.last();
    let prev_text: &[u16] = match previous {
        Some(Part::Text(text)) => text,
        _ => &[],
    };
    let before: &[u16] = if prefix.is_empty() { prev_text } else { prefix };
    if let (Some(Part::Key(key)), true) = (previous, before.is_empty()) {
        return Err(format!(
            "Must have text between two parameters, missing text after \"{}\"",
            key.name.display()
        ));
    }
    let delimiters = escape_string(DELIMITER);
    let mut out = Vec::new();
    if before.is_empty() || has_delimiter(before) {
        out.extend(ascii("[^"));
        out.extend(&delimiters);
        out.extend(ascii("]+?"));
    } else {
        out.extend(ascii("(?:(?!"));
        out.extend(escape_string(before));
        out.extend(ascii(")[^"));
        out.extend(&delimiters);
        out.extend(ascii("])+?"));
    }
    Ok(out)
}

fn parse(s: &[u16]) -> Result<Vec<Part>, String> {
    let tokens = lexer(s)?;
    let mut state = ParseState {
        tokens: &tokens,
        i: 0,
    };
    let mut result: Vec<Part> = Vec::new();
    let mut key_index = 0u32;
    let mut path: Vec<u16> = Vec::new();
    while state.i < tokens.len() {
        let char_token = state.truthy(Kind::Char);
        let name = state.truthy(Kind::Name);
        let pattern = state.truthy(Kind::Pattern);
        if name.is_some() || pattern.is_some() {
            let mut prefix = char_token.unwrap_or_default();
            // JS `prefixes.indexOf(prefix) === -1` (the empty string is found at 0).
            if !(prefix.is_empty() || (prefix.len() == 1 && PREFIXES.contains(&prefix[0]))) {
                path.append(&mut prefix);
            }
            if !path.is_empty() {
                result.push(Part::Text(std::mem::take(&mut path)));
            }
            let key_name = match name {
                Some(n) => KeyName::Named(n),
                None => {
                    key_index += 1;
                    KeyName::Index(key_index - 1)
                }
            };
            let pattern = match pattern {
                Some(p) => p,
                None => safe_pattern(&result, &prefix)?,
            };
            let modifier = state.truthy(Kind::Modifier).unwrap_or_default();
            result.push(Part::Key(Key {
                name: key_name,
                prefix,
                suffix: Vec::new(),
                pattern,
                modifier,
            }));
            continue;
        }
        let value = match char_token {
            Some(v) => Some(v),
            None => state.truthy(Kind::EscapedChar),
        };
        if let Some(v) = value {
            path.extend(v);
            continue;
        }
        if !path.is_empty() {
            result.push(Part::Text(std::mem::take(&mut path)));
        }
        if state.truthy(Kind::Open).is_some() {
            let prefix = state.consume_text();
            let name = state.truthy(Kind::Name).unwrap_or_default();
            let pattern = state.truthy(Kind::Pattern).unwrap_or_default();
            let suffix = state.consume_text();
            state.must_consume(Kind::Close)?;
            let key_name = if !name.is_empty() {
                KeyName::Named(name.clone())
            } else if !pattern.is_empty() {
                key_index += 1;
                KeyName::Index(key_index - 1)
            } else {
                KeyName::Blank
            };
            let pattern = if !name.is_empty() && pattern.is_empty() {
                safe_pattern(&result, &prefix)?
            } else {
                pattern
            };
            let modifier = state.truthy(Kind::Modifier).unwrap_or_default();
            result.push(Part::Key(Key {
                name: key_name,
                prefix,
                suffix,
                pattern,
                modifier,
            }));
            continue;
        }
        state.must_consume(Kind::End)?;
    }
    Ok(result)
}

/// The RegExp source `pathToRegexp(path)` compiles (flags are always `i`), or JS's TypeError text.
pub(crate) fn regexp_source(path: &[u16]) -> Result<Vec<u16>, String> {
    let parts = parse(path)?;
    let delimiter_re = {
        let mut d = ascii("[");
        d.extend(escape_string(DELIMITER));
        d.push(u16::from(b']'));
        d
    };
    let mut route = ascii("^");
    for part in &parts {
        match part {
            Part::Text(text) => route.extend(escape_string(text)),
            Part::Key(key) => {
                let prefix = escape_string(&key.prefix);
                let suffix = escape_string(&key.suffix);
                let repeats = key.modifier == ascii("+") || key.modifier == ascii("*");
                if !key.pattern.is_empty() {
                    if !prefix.is_empty() || !suffix.is_empty() {
                        if repeats {
                            let optional = if key.modifier == ascii("*") {
                                ascii("?")
                            } else {
                                Vec::new()
                            };
                            route.extend(ascii("(?:"));
                            route.extend(&prefix);
                            route.extend(ascii("((?:"));
                            route.extend(&key.pattern);
                            route.extend(ascii(")(?:"));
                            route.extend(&suffix);
                            route.extend(&prefix);
                            route.extend(ascii("(?:"));
                            route.extend(&key.pattern);
                            route.extend(ascii("))*)"));
                            route.extend(&suffix);
                            route.extend(ascii(")"));
                            route.extend(optional);
                        } else {
                            route.extend(ascii("(?:"));
                            route.extend(&prefix);
                            route.extend(ascii("("));
                            route.extend(&key.pattern);
                            route.extend(ascii(")"));
                            route.extend(&suffix);
                            route.extend(ascii(")"));
                            route.extend(&key.modifier);
                        }
                    } else {
                        if repeats {
                            return Err(format!(
                                "Can not repeat \"{}\" without a prefix and suffix",
                                key.name.display()
                            ));
                        }
                        route.extend(ascii("("));
                        route.extend(&key.pattern);
                        route.extend(ascii(")"));
                        route.extend(&key.modifier);
                    }
                } else {
                    route.extend(ascii("(?:"));
                    route.extend(&prefix);
                    route.extend(&suffix);
                    route.extend(ascii(")"));
                    route.extend(&key.modifier);
                }
            }
        }
    }
    route.extend(delimiter_re);
    route.extend(ascii("?$"));
    Ok(route)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(path: &str) -> Result<String, String> {
        let units: Vec<u16> = path.encode_utf16().collect();
        regexp_source(&units).map(|s| String::from_utf16_lossy(&s))
    }

    #[test]
    fn sources_equal_path_to_regexp_6() {
        assert_eq!(
            source("/admin(.*)").as_deref(),
            Ok(r"^\/admin(.*)[\/#\?]?$")
        );
        assert_eq!(
            source("/:a-:b").as_deref(),
            Ok(r"^(?:\/([^\/#\?]+?))-((?:(?!-)[^\/#\?])+?)[\/#\?]?$")
        );
        assert_eq!(
            source("/:id*").as_deref(),
            Ok(r"^(?:\/((?:[^\/#\?]+?)(?:\/(?:[^\/#\?]+?))*))?[\/#\?]?$")
        );
        assert_eq!(
            source("{/:x}?").as_deref(),
            Ok(r"^(?:\/([^\/#\?]+?))?[\/#\?]?$")
        );
        assert_eq!(source("/a\\").as_deref(), Ok(r"^\/a[\/#\?]?$"));
        assert_eq!(
            source("/api/*").unwrap_err(),
            "Unexpected MODIFIER at 5, expected END"
        );
        assert_eq!(source("/:").unwrap_err(), "Missing parameter name at 1");
        assert_eq!(
            source("/:a:b").unwrap_err(),
            "Must have text between two parameters, missing text after \"a\""
        );
        assert_eq!(source("/(a").unwrap_err(), "Unbalanced pattern at 1");
    }
}
