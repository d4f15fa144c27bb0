//! The route table of the JSON API. Each route is registered once, with the type `utoipa`
//! generates for its handler's `#[utoipa::path(...)]`: the path and method come from that
//! annotation, so the router and `/api/openapi.json` are built from the same list and cannot
//! drift apart. Add a route with one line in [`super::routes`]:
//! `.route::<things::__path_list, _, _>(things::list::<S>)`.

use axum::Router;
use axum::handler::Handler;
use axum::routing::{MethodFilter, on};
use utoipa::openapi::path::{HttpMethod, PathsBuilder};
use utoipa::openapi::{ComponentsBuilder, OpenApi, OpenApiBuilder, RefOr, schema::Schema};

use crate::http::ApiState;
use crate::storage::Store;

/// Where the API is mounted; annotation paths start with it.
pub const PREFIX: &str = "/api";

pub struct Table<S: Store> {
    router: Router<ApiState<S>>,
    paths: PathsBuilder,
    schemas: Vec<(String, RefOr<Schema>)>,
    /// (method, full path) of every route served, in registration order.
    served: Vec<(String, String)>,
}

impl<S: Store> Default for Table<S> {
    fn default() -> Self {
        Table {
            router: Router::new(),
            paths: PathsBuilder::new(),
            schemas: Vec::new(),
            served: Vec::new(),
        }
    }
}

impl<S: Store> Table<S> {
    /// Serves `handler` at the path and method of its annotation `P`.
    pub fn route<P, H, T>(mut self, handler: H) -> Self
    where
        P: utoipa::Path + utoipa::__dev::SchemaReferences,
        H: Handler<T, ApiState<S>>,
        T: 'static,
    {
        let full = P::path();
        let path = full
            .strip_prefix(PREFIX)
            .unwrap_or_else(|| panic!("API path {full} must start with {PREFIX}"))
            .to_owned();
        let mut filter: Option<MethodFilter> = None;
        for m in P::methods() {
            let f = method_filter(&m);
            filter = Some(filter.map_or(f, |x| x.or(f)));
            self.served.push((method_name(&m).to_owned(), full.clone()));
        }
        let filter = filter.unwrap_or_else(|| panic!("API path {full} has no method"));
        self.router = self.router.route(&path, on(filter, handler));
        self.paths = self.paths.path_from::<P>();
        P::schemas(&mut self.schemas);
        self
    }

    pub fn into_router(self) -> Router<ApiState<S>> {
        self.router
    }

    /// The routes this table serves: `(METHOD, /api/path)`.
    pub fn served(&self) -> &[(String, String)] {
        &self.served
    }

    /// The OpenAPI 3.1 description, as served at `/api/openapi.json`: every route of the
    /// table, the routes outside `/api` (health, webhooks, survey links, dashboard sign-in),
    /// and what [`super::contract::finish`] adds to every operation.
    pub fn document(self) -> serde_json::Value {
        let mut doc = serde_json::to_value(self.openapi()).unwrap_or_default();
        super::contract::finish(&mut doc);
        doc
    }

    /// The OpenAPI 3.1 description of every route in the table and outside `/api`.
    pub fn openapi(mut self) -> OpenApi {
        use crate::http::{dashboard::login, hooks, survey};
        self.paths = self
            .paths
            .path_from::<crate::http::__path_healthz>()
            .path_from::<hooks::__path_generic>()
            .path_from::<hooks::__path_meta_post>()
            .path_from::<hooks::__path_meta_verify>()
            .path_from::<survey::__path_answer>()
            .path_from::<login::__path_login>()
            .path_from::<login::__path_logout>();
        for (name, schema) in [
            (
                "HookAccepted",
                <hooks::HookAccepted as utoipa::PartialSchema>::schema(),
            ),
            (
                "LoginBody",
                <login::LoginBody as utoipa::PartialSchema>::schema(),
            ),
        ] {
            self.schemas.push((name.to_owned(), schema));
        }
        let mut components = ComponentsBuilder::new();
        for (name, schema) in self.schemas {
            components = components.schema(name, schema);
        }
        let info = utoipa::openapi::InfoBuilder::new()
            .title("Vigía API")
            .version(env!("CARGO_PKG_VERSION"))
            .description(Some(
                "Send `Authorization: Bearer <token>` (or use a dashboard session with the \
                 `X-CSRF-Token` header on POST). Lists answer `{\"items\": [...], \"total\": N}`.",
            ))
            .build();
        OpenApiBuilder::new()
            .info(info)
            .paths(self.paths.build())
            .components(Some(components.build()))
            .build()
    }
}

fn method_filter(m: &HttpMethod) -> MethodFilter {
    match m {
        HttpMethod::Get => MethodFilter::GET,
        HttpMethod::Post => MethodFilter::POST,
        HttpMethod::Put => MethodFilter::PUT,
        HttpMethod::Delete => MethodFilter::DELETE,
        HttpMethod::Patch => MethodFilter::PATCH,
        HttpMethod::Head => MethodFilter::HEAD,
        HttpMethod::Options => MethodFilter::OPTIONS,
        HttpMethod::Trace => MethodFilter::TRACE,
    }
}

fn method_name(m: &HttpMethod) -> &'static str {
    match m {
        HttpMethod::Get => "GET",
        HttpMethod::Post => "POST",
        HttpMethod::Put => "PUT",
        HttpMethod::Delete => "DELETE",
        HttpMethod::Patch => "PATCH",
        HttpMethod::Head => "HEAD",
        HttpMethod::Options => "OPTIONS",
        HttpMethod::Trace => "TRACE",
    }
}
