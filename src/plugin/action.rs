//! Actions (protocol 6.10, Terraform 1.14 and later): `action` blocks run
//! with `terraform apply -invoke=action.TYPE.NAME` or from a resource's
//! `lifecycle { action_trigger { … } }`.
//!
//! Terraform calls, for each action: `ValidateActionConfig` (the
//! configuration as written, references still unknown), `PlanAction` (at
//! plan; values from resources created in the same run are still unknown),
//! and `InvokeAction` (at apply, the configuration known), whose answer is
//! a stream: progress messages as the action goes, then one completed event
//! with its diagnostics. An action has no state: nothing is recorded, so a
//! plan never shows drift from one.
//!
//! [`ActionServer`] is the object-safe interface over raw values the
//! service calls; [`Action`] is the typed one an action is written against
//! (its configuration a serde type, like tf-provider's resources), turned
//! into an [`ActionServer`] by a blanket implementation. Older CLIs never
//! call these RPCs, and ignore the action schemas they do not know.

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::Arc;

use async_trait::async_trait;
use futures_util::Stream;
use serde::de::DeserializeOwned;
use tf_provider::schema::Schema;
use tf_provider::Diagnostics;
use tokio::sync::mpsc;
use tonic::Status;

use super::convert::{diagnostics, schema};
use super::proto::tfplugin6 as tf;
use super::served::Served;
use super::value::{or_null, Dynamic};

type Events = Pin<Box<dyn Stream<Item = Result<tf::invoke_action::Event, Status>> + Send>>;

/// Progress messages and the completion, in order, at most this many
/// waiting for Terraform to read them (the action waits when it is full).
const EVENTS_BUFFERED: usize = 16;

/// Where an invoked action reports how it goes; Terraform prints each
/// message as it arrives.
pub struct Progress {
    events: mpsc::Sender<Result<tf::invoke_action::Event, Status>>,
}

impl Progress {
    /// A progress whose messages go nowhere (unit tests of an action).
    #[cfg(test)]
    pub fn discarding() -> Progress {
        let (events, _) = mpsc::channel(1);
        Progress { events }
    }

    /// Sends one progress message. A Terraform that stopped listening
    /// does not stop the action: what it set going still finishes.
    pub async fn report(&self, message: impl Into<String>) {
        use tf::invoke_action::event::{Progress as P, Type};
        let event = tf::invoke_action::Event {
            r#type: Some(Type::Progress(P {
                message: message.into(),
            })),
        };
        let _ = self.events.send(Ok(event)).await;
    }
}

/// One action type, as the server drives it. Each method returns `None`
/// when it failed, the failure in `diags`.
#[async_trait]
pub trait ActionServer: Send + Sync + 'static {
    fn schema(&self, diags: &mut Diagnostics) -> Option<Schema>;
    async fn validate(&self, diags: &mut Diagnostics, config: Dynamic) -> Option<()>;
    async fn plan(&self, diags: &mut Diagnostics, config: Dynamic) -> Option<()>;
    async fn invoke(
        &self,
        diags: &mut Diagnostics,
        config: Dynamic,
        progress: &Progress,
    ) -> Option<()>;
}

/// An action written against its typed configuration (tf-provider's
/// `Value<T>` fields, unknown where Terraform does not know them yet).
#[async_trait]
pub trait Action: Send + Sync + 'static {
    type Config: DeserializeOwned + Send;
    fn schema(&self, diags: &mut Diagnostics) -> Option<Schema>;
    async fn validate(&self, diags: &mut Diagnostics, config: Self::Config) -> Option<()>;
    async fn plan(&self, diags: &mut Diagnostics, config: Self::Config) -> Option<()>;
    async fn invoke(
        &self,
        diags: &mut Diagnostics,
        config: Self::Config,
        progress: &Progress,
    ) -> Option<()>;
}

#[async_trait]
impl<T: Action> ActionServer for T {
    fn schema(&self, diags: &mut Diagnostics) -> Option<Schema> {
        Action::schema(self, diags)
    }

    async fn validate(&self, diags: &mut Diagnostics, config: Dynamic) -> Option<()> {
        let config = config.decode(diags)?;
        Action::validate(self, diags, config).await
    }

    async fn plan(&self, diags: &mut Diagnostics, config: Dynamic) -> Option<()> {
        let config = config.decode(diags)?;
        Action::plan(self, diags, config).await
    }

    async fn invoke(
        &self,
        diags: &mut Diagnostics,
        config: Dynamic,
        progress: &Progress,
    ) -> Option<()> {
        let config = config.decode(diags)?;
        Action::invoke(self, diags, config, progress).await
    }
}

/// The provider's action types under their Terraform names, each with its
/// schema read once at start; the service hands the action RPCs to it.
pub struct Actions {
    types: Served<Arc<dyn ActionServer>>,
}

impl Actions {
    /// `name` is the provider's name, the prefix of the type names; schema
    /// errors go to `diags`.
    pub fn new(
        name: &str,
        actions: HashMap<String, Arc<dyn ActionServer>>,
        diags: &mut Diagnostics,
    ) -> Actions {
        let types = Served::new(name, "action", actions, |_, a, d| a.schema(d), diags);
        Actions { types }
    }

    /// `GetMetadata`'s list.
    pub fn metadata(&self) -> Vec<tf::get_metadata::ActionMetadata> {
        self.types
            .names()
            .map(|n| tf::get_metadata::ActionMetadata {
                type_name: n.clone(),
            })
            .collect()
    }

    /// `GetProviderSchema`'s `action_schemas`.
    pub fn schemas(&self) -> HashMap<String, tf::ActionSchema> {
        self.types
            .iter()
            .map(|(n, _, s)| {
                let action = tf::ActionSchema {
                    schema: Some(schema(s)),
                };
                (n.clone(), action)
            })
            .collect()
    }

    pub async fn validate(
        &self,
        r: tf::validate_action_config::Request,
    ) -> tf::validate_action_config::Response {
        let mut diags = Diagnostics::default();
        if let Some(action) = self.types.get(&mut diags, &r.type_name) {
            let done = action.validate(&mut diags, or_null(r.config)).await;
            settled(&mut diags, done);
        }
        tf::validate_action_config::Response {
            diagnostics: diagnostics(diags),
        }
    }

    pub async fn plan(&self, r: tf::plan_action::Request) -> tf::plan_action::Response {
        let mut diags = Diagnostics::default();
        if let Some(action) = self.types.get(&mut diags, &r.action_type) {
            let done = action.plan(&mut diags, or_null(r.config)).await;
            settled(&mut diags, done);
        }
        tf::plan_action::Response {
            diagnostics: diagnostics(diags),
        }
    }

    /// The action runs on a task of its own, so that its progress reaches
    /// Terraform while it runs; the stream ends with its completion.
    pub fn invoke(&self, r: tf::invoke_action::Request) -> Events {
        let (events, mut rx) = mpsc::channel(EVENTS_BUFFERED);
        let mut diags = Diagnostics::default();
        let found = self.types.get(&mut diags, &r.action_type).cloned();
        let config = or_null(r.config);
        tokio::spawn(async move {
            let progress = Progress { events };
            if let Some(action) = found {
                let done = action.invoke(&mut diags, config, &progress).await;
                settled(&mut diags, done);
            }
            let _ = progress.events.send(Ok(completed(diags))).await;
        });
        Box::pin(futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx)))
    }
}

fn completed(diags: Diagnostics) -> tf::invoke_action::Event {
    use tf::invoke_action::event::{Completed, Type};
    tf::invoke_action::Event {
        r#type: Some(Type::Completed(Completed {
            diagnostics: diagnostics(diags),
        })),
    }
}

/// A failure (`None`) that did not say why gets an error, so that
/// Terraform never takes it for success.
fn settled(diags: &mut Diagnostics, outcome: Option<()>) {
    if outcome.is_none() && diags.errors.is_empty() {
        diags.root_error(
            "The action failed without an error message",
            "This is a bug in the provider; please report it with the command that failed.",
        );
    }
}

#[cfg(test)]
mod tests {
    use futures_util::StreamExt;
    use tf_provider::schema::{Attribute, AttributeConstraint, AttributeType, Block, Description};
    use tf_provider::value::Value;

    use super::*;

    /// Says each step, and fails when told to.
    struct Echo;

    #[derive(serde::Deserialize)]
    struct EchoConfig {
        say: Value<String>,
    }

    #[async_trait]
    impl Action for Echo {
        type Config = EchoConfig;

        fn schema(&self, _: &mut Diagnostics) -> Option<Schema> {
            let say = Attribute {
                attr_type: AttributeType::String,
                description: Description::plain("what to say"),
                constraint: AttributeConstraint::Required,
                sensitive: false,
                deprecated: false,
            };
            Some(Schema {
                version: 0,
                block: Block {
                    attributes: [("say".to_string(), say)].into(),
                    ..Block::default()
                },
            })
        }

        async fn validate(&self, diags: &mut Diagnostics, c: EchoConfig) -> Option<()> {
            if c.say.as_ref_option().is_some_and(|s| s == "bad") {
                diags.root_error_short("bad");
            }
            Some(())
        }

        async fn plan(&self, _: &mut Diagnostics, _: EchoConfig) -> Option<()> {
            None
        }

        async fn invoke(
            &self,
            diags: &mut Diagnostics,
            c: EchoConfig,
            progress: &Progress,
        ) -> Option<()> {
            let say = c.say.as_ref_option().cloned().unwrap_or_default();
            progress.report(format!("saying {say}")).await;
            if say == "fail" {
                diags.root_error_short("it failed");
                return None;
            }
            Some(())
        }
    }

    fn actions() -> Actions {
        let mut diags = Diagnostics::default();
        let all: HashMap<String, Arc<dyn ActionServer>> =
            [("echo".to_string(), Arc::new(Echo) as Arc<dyn ActionServer>)].into();
        let actions = Actions::new("p", all, &mut diags);
        assert!(diags.errors.is_empty());
        actions
    }

    fn config(say: &str) -> Option<tf::DynamicValue> {
        let mut diags = Diagnostics::default();
        let v = Dynamic::encode(&mut diags, &serde_json::json!({ "say": say }));
        v.map(Into::into)
    }

    async fn events(
        actions: &Actions,
        type_name: &str,
        say: &str,
    ) -> Vec<tf::invoke_action::Event> {
        let r = tf::invoke_action::Request {
            action_type: type_name.to_string(),
            config: config(say),
            client_capabilities: None,
        };
        actions.invoke(r).map(|e| e.expect("event")).collect().await
    }

    fn progress_of(e: &tf::invoke_action::Event) -> Option<&str> {
        match &e.r#type {
            Some(tf::invoke_action::event::Type::Progress(p)) => Some(&p.message),
            _ => None,
        }
    }

    fn completed_of(e: &tf::invoke_action::Event) -> Option<Vec<String>> {
        match &e.r#type {
            Some(tf::invoke_action::event::Type::Completed(c)) => {
                Some(c.diagnostics.iter().map(|d| d.summary.clone()).collect())
            }
            _ => None,
        }
    }

    #[test]
    fn schemas_and_metadata_are_under_the_provider_prefix() {
        let a = actions();
        assert_eq!(a.metadata()[0].type_name, "p_echo");
        let schemas = a.schemas();
        let block = schemas["p_echo"]
            .schema
            .as_ref()
            .and_then(|s| s.block.as_ref());
        assert_eq!(block.map(|b| b.attributes[0].name.as_str()), Some("say"));
    }

    #[tokio::test]
    async fn invoke_streams_progress_then_one_completion() {
        let a = actions();
        let ok = events(&a, "p_echo", "hi").await;
        assert_eq!(ok.len(), 2);
        assert_eq!(progress_of(&ok[0]), Some("saying hi"));
        assert_eq!(completed_of(&ok[1]), Some(vec![]));
        let failed = events(&a, "p_echo", "fail").await;
        assert_eq!(
            completed_of(&failed[1]),
            Some(vec!["it failed".to_string()])
        );
        let unknown = events(&a, "p_nope", "hi").await;
        assert_eq!(unknown.len(), 1);
        assert_eq!(
            completed_of(&unknown[0]),
            Some(vec!["This provider has no action p_nope".to_string()])
        );
    }

    #[tokio::test]
    async fn validate_and_plan_answer_with_diagnostics() {
        let a = actions();
        let v = |say: &str, type_name: &str| tf::validate_action_config::Request {
            type_name: type_name.to_string(),
            config: config(say),
        };
        assert!(a.validate(v("fine", "p_echo")).await.diagnostics.is_empty());
        assert_eq!(
            a.validate(v("bad", "p_echo")).await.diagnostics[0].summary,
            "bad"
        );
        assert_eq!(a.validate(v("x", "p_nope")).await.diagnostics.len(), 1);
        // A failure without a message still fails.
        let plan = a
            .plan(tf::plan_action::Request {
                action_type: "p_echo".to_string(),
                config: config("x"),
                client_capabilities: None,
            })
            .await;
        assert_eq!(
            plan.diagnostics[0].summary,
            "The action failed without an error message"
        );
    }
}
