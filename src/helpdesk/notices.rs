//! Messages the helpdesk sends by e-mail through the outbox: SLA notices to team leads and
//! satisfaction surveys to customers. Templates live in `alerts/helpdesk/`
//! (`{message}.{lang}.subject.txt` and `.txt`, es and en), are compiled once and rendered
//! against samples at start-up, so a broken template stops `vigia serve` at once.

use minijinja::{Environment, UndefinedBehavior, Value, context};
use std::path::Path;

use crate::notify::Rendered;

const MESSAGES: [&str; 2] = ["sla_notice", "survey"];
const LANGS: [&str; 2] = ["es", "en"];

#[derive(Debug, thiserror::Error)]
#[error("{file}: {problem}")]
pub struct TemplateError {
    pub file: String,
    pub problem: String,
}

pub struct Notices {
    env: Environment<'static>,
}

impl std::fmt::Debug for Notices {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Notices")
    }
}

fn lang_of(lang: &str) -> &'static str {
    if lang.starts_with("es") { "es" } else { "en" }
}

impl Notices {
    pub fn load(dir: &Path) -> Result<Notices, TemplateError> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        for message in MESSAGES {
            for lang in LANGS {
                for part in ["subject.txt", "txt"] {
                    let name = format!("{message}.{lang}.{part}");
                    let path = dir.join(&name);
                    let err = |problem: String| TemplateError {
                        file: path.display().to_string(),
                        problem,
                    };
                    let source = std::fs::read_to_string(&path).map_err(|e| err(e.to_string()))?;
                    env.add_template_owned(name, source)
                        .map_err(|e| err(e.to_string()))?;
                }
            }
        }
        let notices = Notices { env };
        for lang in LANGS {
            notices.render("sla_notice", lang, "check", vec![], sample_sla())?;
            notices.render("survey", lang, "check", vec![], sample_survey())?;
        }
        Ok(notices)
    }

    /// Renders `message` in `lang` (anything but Spanish gets English) to `to`.
    pub fn render(
        &self,
        message: &str,
        lang: &str,
        key: &str,
        to: Vec<String>,
        ctx: Value,
    ) -> Result<Rendered, TemplateError> {
        let lang = lang_of(lang);
        let part = |p: &str| {
            let name = format!("{message}.{lang}.{p}");
            self.env
                .get_template(&name)
                .and_then(|t| t.render(&ctx))
                .map_err(|e| TemplateError {
                    file: name.clone(),
                    problem: e.to_string(),
                })
        };
        let subject: String = part("subject.txt")?
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        Ok(Rendered {
            key: key.to_owned(),
            to,
            subject: subject.chars().take(150).collect(),
            text: part("txt")?,
            html: None,
        })
    }
}

fn sample_sla() -> Value {
    context! {
        brand => "Rapiplato", ticket_id => 1, team => "logistica", stage => "near",
        clock_es => "primera respuesta", clock_en => "first response", priority => "high",
        category => "delivery", due => "2026-03-06 18:00", status => "new",
        subject => "<script>", link => Value::from(()),
    }
}

fn sample_survey() -> Value {
    context! { brand => "Rapiplato", name => "Luz", links => vec![(1, "https://x/survey/t?score=1")] }
}
