//! Alert message templates (minijinja), read from `alerts/templates/`.
//!
//! Every template in the directory is read and compiled once by [`Templates::load`], and each
//! required message is then rendered once in every language against sample alerts, so a broken
//! or missing template stops `vigia serve` at start-up with the file name and minijinja's
//! line and problem, not at the first incident.
//!
//! File names are `{message}.{lang}.{part}` with `part` one of `subject.txt`, `txt`, `html`
//! (e.g. `incident_opened.es.html`); files starting with `_` are partials that only hold macros.
//! HTML templates autoescape every value (minijinja escapes by the `.html` extension); mention
//! texts and authors are capped in size and links other than `http(s)` are dropped before
//! rendering. `alerts/templates/README.md` lists the variables for template authors.

use std::path::{Path, PathBuf};

use minijinja::{Environment, UndefinedBehavior, Value};

use super::{FeedSilentAlert, IncidentAlert, NotifyError, Rendered};
use crate::domain::Lang;

mod contexts;

use contexts::{AlertContext, SilenceContext};

/// Messages that every language must provide.
const MESSAGES: &[&str] = &["incident_opened", "feed_silent", "digest"];
/// Languages alerts are written in; any other language gets English.
const LANGS: &[&str] = &["es", "en"];
/// The parts of one message: subject line, plain-text body, HTML body.
const PARTS: &[&str] = &["subject.txt", "txt", "html"];
/// Longest subject line, in characters.
pub const SUBJECT_MAX_CHARS: usize = 150;

/// The compiled alert templates, ready to render.
pub struct Templates {
    env: Environment<'static>,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.env.templates().map(|(name, _)| name).collect();
        f.debug_struct("Templates")
            .field("templates", &names)
            .finish()
    }
}

impl Templates {
    /// Reads and compiles every `*.txt` and `*.html` file in `dir`, then checks that each
    /// required message renders in every language.
    pub fn load(dir: &Path) -> Result<Templates, NotifyError> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        for path in template_files(dir)? {
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            let source = std::fs::read_to_string(&path)
                .map_err(|e| template_error(&path, format!("cannot read: {e}")))?;
            env.add_template_owned(name.to_owned(), source)
                .map_err(|e| template_error(&path, e))?;
        }
        let templates = Templates { env };
        templates.check(dir)?;
        Ok(templates)
    }

    /// Renders the "incident opened" alert in `lang` (English for any language but Spanish).
    pub fn render_incident_opened(
        &self,
        lang: Lang,
        key: &str,
        to: &[String],
        alert: &IncidentAlert,
    ) -> Result<Rendered, NotifyError> {
        let ctx = Value::from_serialize(AlertContext::new(alert));
        self.render_message("incident_opened", lang, key, to, &ctx)
    }

    /// Renders a periodic digest in `lang`.
    pub fn render_digest(
        &self,
        lang: Lang,
        key: &str,
        to: &[String],
        digest: &super::Digest,
    ) -> Result<Rendered, NotifyError> {
        let ctx = Value::from_serialize(contexts::DigestContext::new(digest));
        self.render_message("digest", lang, key, to, &ctx)
    }

    /// Renders the "feed is silent" notice for admins in `lang`.
    pub fn render_feed_silent(
        &self,
        lang: Lang,
        key: &str,
        to: &[String],
        alert: &FeedSilentAlert,
    ) -> Result<Rendered, NotifyError> {
        let ctx = Value::from_serialize(SilenceContext::new(alert));
        self.render_message("feed_silent", lang, key, to, &ctx)
    }

    /// Renders the three parts of `message` in `lang` into a message for `to`.
    fn render_message(
        &self,
        message: &str,
        lang: Lang,
        key: &str,
        to: &[String],
        ctx: &Value,
    ) -> Result<Rendered, NotifyError> {
        let lang = lang_code(lang);
        let render = |part| {
            let name = format!("{message}.{lang}.{part}");
            self.render(&name, ctx)
                .map_err(|e| NotifyError::Template(format!("{name}: {e}")))
        };
        Ok(Rendered {
            key: key.to_owned(),
            to: to.to_vec(),
            subject: one_line(&render("subject.txt")?, SUBJECT_MAX_CHARS),
            text: format!("{}\n", render("txt")?.trim_end()),
            html: Some(render("html")?),
        })
    }

    fn render(&self, name: &str, ctx: &Value) -> Result<String, minijinja::Error> {
        self.env.get_template(name)?.render(ctx)
    }

    /// Every required template exists and renders the sample alerts.
    fn check(&self, dir: &Path) -> Result<(), NotifyError> {
        for message in MESSAGES {
            for lang in LANGS {
                for part in PARTS {
                    let name = format!("{message}.{lang}.{part}");
                    if self.env.get_template(&name).is_err() {
                        let problem = "required template is missing";
                        return Err(template_error(&dir.join(&name), problem));
                    }
                    for ctx in contexts::samples(message) {
                        self.render(&name, &ctx)
                            .map_err(|e| template_error(&dir.join(&name), e))?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// The `*.txt` and `*.html` files directly inside `dir`, sorted by name.
fn template_files(dir: &Path) -> Result<Vec<PathBuf>, NotifyError> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| template_error(dir, format!("cannot read templates directory: {e}")))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| template_error(dir, e))?.path();
        let is_template = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("txt" | "html")
        );
        if is_template && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

fn template_error(path: &Path, problem: impl std::fmt::Display) -> NotifyError {
    NotifyError::Template(format!("{}: {problem}", path.display()))
}

fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::Es => "es",
        Lang::En | Lang::Other => "en",
    }
}

/// Collapses all whitespace (newlines included) to single spaces and caps the length.
pub fn one_line(text: &str, max_chars: usize) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    truncate_chars(&line, max_chars)
}

/// Cuts `text` to at most `max_chars` characters, ending with `…` when it was cut.
pub(super) fn truncate_chars(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let kept: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    format!("{}…", kept.trim_end())
}

/// Only `http(s)` links reach a template: a `javascript:` URL is dropped.
pub(super) fn safe_url(url: Option<&str>) -> Option<&str> {
    url.map(str::trim).filter(|u| {
        let lower = u.to_ascii_lowercase();
        lower.starts_with("https://") || lower.starts_with("http://")
    })
}
