//! The HTML5 parse: html5gum's tokenizer feeding html5ever's tree builder.
//!
//! Tree construction is html5ever's own [`TreeBuilder`] (the one `dom_query`
//! drives), so the tree is the one `dom_query::Document::from` builds; only
//! the tokenizer differs. html5gum (a WHATWG tokenizer that passes the
//! html5lib tokenizer tests) works on the bytes of the string and hands out
//! whole runs of text, where html5ever's tokenizer goes through a queue of
//! tendrils character by character; tokenizing is about half as expensive.
//!
//! [`Bridge`] turns html5gum's emitter calls into html5ever tokens and gives
//! the tree builder's feedback back to the tokenizer: the state after a start
//! tag (RCDATA, RAWTEXT, script data, PLAINTEXT) and whether `<![CDATA[` is
//! a CDATA section (foreign content) or a bogus comment. Parse errors are not
//! reported (stet reads none).

use std::borrow::Cow;
use std::convert::Infallible;

use dom_query::Document as Dom;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{Doctype, Tag, TagKind, Token, TokenSink, TokenSinkResult};
use html5ever::tree_builder::{TreeBuilder, TreeBuilderOpts, TreeSink};
use html5ever::{ns, Attribute, LocalName, QualName};
use html5gum::{Emitter, Error, State};

/// Parses a whole document as `dom_query::Document::from` does (scripting
/// disabled, a leading byte order mark dropped).
pub(crate) fn document(html: &str) -> Dom {
    if html5ever_quirks(html.as_bytes()) {
        return Dom::from(html);
    }
    let html = html.strip_prefix('\u{feff}').unwrap_or(html);
    let opts = TreeBuilderOpts {
        scripting_enabled: false,
        ..Default::default()
    };
    let builder = TreeBuilder::new(Dom::default(), opts);
    let tokenizer = html5gum::Tokenizer::new_with_emitter(html, Bridge::new(&builder));
    // Reading a `&str` cannot fail.
    let Ok(()) = tokenizer.finish();
    builder.sink.finish()
}

/// Whether the page has markup where html5ever's tokenizer gives a tree
/// other than the specification's (and html5gum's): such pages, rare, go
/// through html5ever's tokenizer to keep the tree `dom_query` builds.
///
/// html5ever passes its parse errors to the tree builder as tokens, and a
/// `<pre>`, `<listing>` or `<textarea>` drops a line feed only if it is the
/// very next token: an error in between keeps it. Errors that come between
/// without a token of their own: `</>`, and a numeric character reference
/// without its semicolon (one to U+000A makes the line feed). And after a
/// tag it pauses on (`</script>`, a `<meta>` naming a charset) html5ever
/// drops a U+FEFF as a byte order mark: [`Bridge`] does so for the
/// character, but cannot tell a reference to it (`&#xFEFF;`) from it.
fn html5ever_quirks(html: &[u8]) -> bool {
    use memchr::memmem;
    if memmem::find(html, b"</>").is_some() {
        return true;
    }
    memmem::find_iter(html, b"&#").any(|at| {
        let rest = &html[at + 2..];
        let (digits, radix) = match rest.first() {
            Some(b'x' | b'X') => (&rest[1..], 16),
            _ => (rest, 10),
        };
        let mut value = 0u32;
        let mut len = 0;
        for &b in digits {
            let Some(d) = char::from(b).to_digit(radix) else {
                break;
            };
            value = value.saturating_mul(radix).saturating_add(d);
            len += 1;
        }
        let semicolon = digits.get(len) == Some(&b';');
        (value == 0x0A && !semicolon) || value == 0xFEFF
    })
}

/// The text of bytes html5gum took from the (UTF-8) input. Buffers are
/// converted only at token boundaries, which are ASCII, so they are whole
/// UTF-8; the lossy conversion is a fallback that does not happen. (Checking
/// is cheaper than the lossy conversion's own scan, which goes byte by byte.)
fn text(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

fn tendril(bytes: &[u8]) -> StrTendril {
    StrTendril::from_slice(&text(bytes))
}

/// An html5gum emitter that builds html5ever tokens for a [`TokenSink`].
struct Bridge<'a, S: TokenSink> {
    sink: &'a S,
    /// Text not yet given to the sink: it goes as one token (split at NULs)
    /// before the next other token.
    chars: Vec<u8>,
    end_tag: bool,
    self_closing: bool,
    tag_name: Vec<u8>,
    /// The sink paused after the last tag (a script ended, a `<meta>` named
    /// a charset) and nothing was read since: html5ever, resuming, drops a
    /// U+FEFF there.
    paused: bool,
    last_start_tag: Vec<u8>,
    attrs: Vec<Attribute>,
    duplicate_attrs: bool,
    attr_name: Vec<u8>,
    attr_value: Vec<u8>,
    comment: Vec<u8>,
    doctype_name: Vec<u8>,
    doctype_public_id: Option<Vec<u8>>,
    doctype_system_id: Option<Vec<u8>>,
    force_quirks: bool,
}

impl<'a, S: TokenSink> Bridge<'a, S> {
    fn new(sink: &'a S) -> Self {
        Bridge {
            sink,
            chars: Vec::new(),
            end_tag: false,
            self_closing: false,
            tag_name: Vec::new(),
            paused: false,
            last_start_tag: Vec::new(),
            attrs: Vec::new(),
            duplicate_attrs: false,
            attr_name: Vec::new(),
            attr_value: Vec::new(),
            comment: Vec::new(),
            doctype_name: Vec::new(),
            doctype_public_id: None,
            doctype_system_id: None,
            force_quirks: false,
        }
    }

    /// Gives a token to the sink; the state it asks the tokenizer to switch to.
    fn send(&mut self, token: Token) -> Option<State> {
        // Line numbers are not tracked (stet reads none).
        let result = self.sink.process_token(token, 1);
        self.paused = matches!(
            result,
            TokenSinkResult::Script(_) | TokenSinkResult::EncodingIndicator(_)
        );
        match result {
            TokenSinkResult::Plaintext => Some(State::PlainText),
            TokenSinkResult::RawData(RawKind::Rcdata) => Some(State::RcData),
            TokenSinkResult::RawData(RawKind::Rawtext) => Some(State::RawText),
            TokenSinkResult::RawData(RawKind::ScriptData) => Some(State::ScriptData),
            // Script data escaped states are never asked for by the tree
            // builder; scripts are not run, encodings are decided already.
            TokenSinkResult::RawData(RawKind::ScriptDataEscaped(_))
            | TokenSinkResult::Continue
            | TokenSinkResult::Script(_)
            | TokenSinkResult::EncodingIndicator(_) => None,
        }
    }

    /// The pending text, as html5ever's tokenizer gives it: a U+0000 that
    /// html5gum passes through (data state, CDATA sections) is a
    /// `NullCharacterToken` of its own.
    fn flush_chars(&mut self) {
        if self.chars.is_empty() {
            return;
        }
        let chars = std::mem::take(&mut self.chars);
        let mut rest = &chars[..];
        loop {
            let nul = memchr::memchr(0, rest);
            let part = nul.map_or(rest, |at| &rest[..at]);
            if !part.is_empty() {
                let _ = self.send(Token::CharacterTokens(tendril(part)));
            }
            let Some(at) = nul else {
                break;
            };
            let _ = self.send(Token::NullCharacterToken);
            rest = &rest[at + 1..];
        }
        self.chars = chars;
        self.chars.clear();
    }

    /// Adds the current attribute to the tag unless the tag has one of that
    /// name already (the first wins).
    fn finish_attr(&mut self) {
        if self.attr_name.is_empty() {
            return;
        }
        let name = LocalName::from(&*text(&self.attr_name));
        self.attr_name.clear();
        if self.attrs.iter().any(|a| a.name.local == name) {
            self.duplicate_attrs = true;
        } else {
            self.attrs.push(Attribute {
                name: QualName::new(None, ns!(), name),
                value: tendril(&self.attr_value),
            });
        }
        self.attr_value.clear();
    }

    fn init_tag(&mut self, end: bool) {
        self.end_tag = end;
        self.self_closing = false;
        self.duplicate_attrs = false;
        self.tag_name.clear();
        self.attrs.clear();
        self.attr_name.clear();
        self.attr_value.clear();
    }
}

impl<S: TokenSink> Emitter for Bridge<'_, S> {
    type Token = Infallible;

    fn set_last_start_tag(&mut self, last_start_tag: Option<&[u8]>) {
        self.last_start_tag.clear();
        self.last_start_tag
            .extend_from_slice(last_start_tag.unwrap_or_default());
    }

    fn emit_eof(&mut self) {
        self.flush_chars();
        let _ = self.send(Token::EOFToken);
        self.sink.end();
    }

    fn emit_error(&mut self, _: Error) {}

    fn should_emit_errors(&mut self) -> bool {
        false
    }

    fn pop_token(&mut self) -> Option<Infallible> {
        None
    }

    fn emit_string(&mut self, mut s: &[u8]) {
        if self.paused && !s.is_empty() {
            self.paused = false;
            if self.chars.is_empty() {
                s = s.strip_prefix("\u{feff}".as_bytes()).unwrap_or(s);
            }
        }
        self.chars.extend_from_slice(s);
    }

    fn start_open_tag(&mut self) {
        self.paused = false;
    }

    fn init_start_tag(&mut self) {
        self.init_tag(false);
    }

    fn init_end_tag(&mut self) {
        self.init_tag(true);
    }

    fn init_comment(&mut self) {
        self.comment.clear();
    }

    fn emit_current_tag(&mut self) -> Option<State> {
        self.finish_attr();
        self.flush_chars();
        let kind = if self.end_tag {
            TagKind::EndTag
        } else {
            self.last_start_tag.clear();
            self.last_start_tag.extend_from_slice(&self.tag_name);
            TagKind::StartTag
        };
        let tag = Tag {
            kind,
            name: LocalName::from(&*text(&self.tag_name)),
            self_closing: self.self_closing,
            attrs: std::mem::take(&mut self.attrs),
            had_duplicate_attributes: self.duplicate_attrs,
        };
        self.send(Token::TagToken(tag))
    }

    fn emit_current_comment(&mut self) {
        self.flush_chars();
        let _ = self.send(Token::CommentToken(tendril(&self.comment)));
    }

    fn emit_current_doctype(&mut self) {
        self.flush_chars();
        let doctype = Doctype {
            // html5ever's name is missing, never empty, when there is none.
            name: (!self.doctype_name.is_empty()).then(|| tendril(&self.doctype_name)),
            public_id: self.doctype_public_id.as_deref().map(tendril),
            system_id: self.doctype_system_id.as_deref().map(tendril),
            force_quirks: self.force_quirks,
        };
        let _ = self.send(Token::DoctypeToken(doctype));
    }

    fn set_self_closing(&mut self) {
        self.self_closing = true;
    }

    fn set_force_quirks(&mut self) {
        self.force_quirks = true;
    }

    fn push_tag_name(&mut self, s: &[u8]) {
        self.tag_name.extend_from_slice(s);
    }

    fn push_comment(&mut self, s: &[u8]) {
        self.comment.extend_from_slice(s);
    }

    fn push_doctype_name(&mut self, s: &[u8]) {
        self.doctype_name.extend_from_slice(s);
    }

    fn init_doctype(&mut self) {
        self.doctype_name.clear();
        self.doctype_public_id = None;
        self.doctype_system_id = None;
        self.force_quirks = false;
    }

    fn init_attribute(&mut self) {
        self.finish_attr();
    }

    fn push_attribute_name(&mut self, s: &[u8]) {
        self.attr_name.extend_from_slice(s);
    }

    fn push_attribute_value(&mut self, s: &[u8]) {
        self.attr_value.extend_from_slice(s);
    }

    fn set_doctype_public_identifier(&mut self, value: &[u8]) {
        self.doctype_public_id = Some(value.to_vec());
    }

    fn set_doctype_system_identifier(&mut self, value: &[u8]) {
        self.doctype_system_id = Some(value.to_vec());
    }

    fn push_doctype_public_identifier(&mut self, s: &[u8]) {
        if let Some(id) = &mut self.doctype_public_id {
            id.extend_from_slice(s);
        }
    }

    fn push_doctype_system_identifier(&mut self, s: &[u8]) {
        if let Some(id) = &mut self.doctype_system_id {
            id.extend_from_slice(s);
        }
    }

    fn current_is_appropriate_end_tag_token(&mut self) -> bool {
        self.end_tag && !self.last_start_tag.is_empty() && self.last_start_tag == self.tag_name
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&mut self) -> bool {
        // The tree builder answers from the text before `<![CDATA[` too
        // (text can reopen formatting elements).
        self.flush_chars();
        self.sink
            .adjusted_current_node_present_but_not_in_html_namespace()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tree (and quirks mode) html5ever's own tokenizer gives, which is
    /// what `dom_query::Document::from` builds.
    fn reference(html: &str) -> String {
        shown(&Dom::from(html))
    }

    fn ours(html: &str) -> String {
        shown(&document(html))
    }

    fn shown(dom: &Dom) -> String {
        let doctypes: Vec<String> = dom
            .root()
            .children_it(false)
            .filter_map(|n| n.query(|t| format!("{:?}", t.data)))
            .filter(|d| d.starts_with("Doctype"))
            .collect();
        format!("{:?} {doctypes:?} {}", dom.quirks_mode.get(), dom.html())
    }

    #[test]
    fn malformed_snippets_parse_as_html5ever_does() {
        let cases = [
            "",
            "x",
            "<p>unclosed <b>bold <i>both</p> after",
            "<div><span>never closed",
            "<script>if (a < b) { x = '<!--'; } <!-- <script> x </script> y</script>after",
            "<script><!--<script></script>still script--></script><p>p",
            "<svg><![CDATA[ <not a tag> ]]><text>t</text></svg><![CDATA[bogus]]>",
            "<math><mi><![CDATA[x]]></mi><mtext><b>y</b></mtext></math>",
            "<p><b></p><svg><desc>x<![CDATA[y]]></desc></svg>",
            "<plaintext><p>all </plaintext> text",
            "<textarea>\n<b>&amp;</textarea>",
            "<pre>\n\nline</pre><pre>&#10;x</pre><pre>\0\nz</pre>",
            "<title>a <b> &lt; </title><noscript><p>ns</p></noscript>",
            "<noframes></noframes><xmp><i></xmp><style>a<b</style><iframe><p></iframe>",
            "a\0b<p>\0</p><svg>\0<![CDATA[\0]]></svg><textarea>\0</textarea><script>\0</script>",
            "line\r\nbreaks\rhere\r\n<p title=\"a\r\nb\">c</p>",
            "\u{feff}<!DOCTYPE html><p>bom</p>",
            "<!DOCTYPE html PUBLIC \"-//W3C//DTD HTML 4.01//EN\"><p>quirks",
            "<!doctype><p>no name",
            "<!DOCTYPE hétml PUBLIC \"-//é€//\" 'ü\u{10348}'><p>x",
            "<!DOCTYPE html SYSTEM \"about:legacy-compat\"><!DOCTYPE x>",
            "<a href=x href=y HREF=z class=a>dup</a></a x=1></br/>",
            "<table>text<tr>in<td>cell</table><table> <tr> </table>",
            "<select><option>a<option>b</select><frameset>",
            "<!-- a -- b --!><!----><!--><!---><?pi?><!x></ >",
            "&amp &notin; &notit; &#x0; &#xD800; &#128; &unknown; &AMP",
            "<p a='1' b=\"2\" c=3 d e/>x<br/><img src=a alt=\"<>\">",
            "<html><head><body><body a=1><html b=2>",
            "<template><td>x</td></template><p>",
            "<ruby>a<rt>b<rp>c</ruby><li>1<li>2<dd>3<dt>4",
            "<svg viewBox='0 0 1 1'><foreignObject><p>html</p></foreignObject><path/></svg>",
            "<math><annotation-xml encoding='text/html'><div>d</div></annotation-xml></math>",
            "</p></br><p></P >",
            "<script>",
            "<!--",
            "<!DOCTYPE",
            "<a href='",
            "<textarea>",
            "<table><caption><p>x</table>y",
            "<script></script>\u{feff}x<meta charset=utf-8>\u{feff}y",
            "<p>\u{feff}a<b>\u{feff}</b>&#xfeff;<script>x</script>&#xfeff;",
            "<script></script>&amp;\u{feff}<script></script><b>\u{feff}<script></script>\0\u{feff}",
            "\u{feff}\u{feff}<p>x</p><script></script>\u{feff}",
            "<pre></>\nx</pre><pre>&#xa\ny</pre><textarea>&#10\nz</textarea><listing>&#x0000Ax",
        ];
        for html in cases {
            assert_eq!(ours(html), reference(html), "{html:?}");
        }
    }

    #[test]
    fn same_tree_for_arbitrary_strings() {
        use proptest::prelude::*;
        let alphabet = prop::sample::select(vec![
            "<",
            ">",
            "/",
            "!",
            "-",
            "=",
            "'",
            "\"",
            "&",
            ";",
            "#",
            "x",
            "a",
            "p",
            "b",
            " ",
            "\n",
            "\r",
            "\0",
            "[",
            "]",
            "<!--",
            "-->",
            "<![CDATA[",
            "]]>",
            "<script>",
            "</script>",
            "<svg>",
            "</svg>",
            "<math>",
            "<table>",
            "<tr>",
            "<td>",
            "<title>",
            "</title>",
            "<textarea>",
            "<plaintext>",
            "<pre>",
            "<noscript>",
            "<style>",
            "<b>",
            "</b>",
            "<p>",
            "</p>",
            "&amp;",
            "&lt",
            "&#0;",
            "é",
            "\u{feff}",
            "<!DOCTYPE html>",
            "<meta charset=utf-8>",
            "<desc>",
            "<foreignObject>",
            "<select>",
            "<template>",
            "</template>",
        ]);
        let pieces = prop::collection::vec(alphabet, 0..40);
        proptest!(ProptestConfig::with_cases(2000), |(pieces in pieces)| {
            let html: String = pieces.concat();
            prop_assert_eq!(ours(&html), reference(&html), "{:?}", html);
        });
        proptest!(ProptestConfig::with_cases(500), |(bytes in prop::collection::vec(any::<u8>(), 0..200))| {
            let html = String::from_utf8_lossy(&bytes).into_owned();
            prop_assert_eq!(ours(&html), reference(&html), "{:?}", html);
        });
    }
}
