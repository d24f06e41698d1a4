//! Page-number pagination (ADR pagination module): `page` from 1, `pageSize` up to
//! [`MAX_PAGE_SIZE`], and an RFC 8288 `Link` header with absolute `first`/`prev`/`next`/`last`.

use actix_web::HttpRequest;
use actix_web::http::header::{self, HeaderValue};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

pub const DEFAULT_PAGE_SIZE: u32 = 20;
pub const MAX_PAGE_SIZE: u32 = 100;

#[derive(Debug, Clone, Copy, Deserialize, IntoParams, Validate)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct Paginering {
    /// Paginanummer, vanaf 1.
    #[param(minimum = 1, maximum = 4294967295_u64, format = Int64, default = 1, example = 1)]
    pub page: Option<u32>,
    /// Aantal resultaten per pagina.
    #[param(minimum = 1, maximum = 100, default = 20, example = 20)]
    pub page_size: Option<u32>,
}

impl Paginering {
    pub fn page(&self) -> u32 {
        self.page.unwrap_or(1).max(1)
    }

    pub fn page_size(&self) -> u32 {
        self.page_size
            .unwrap_or(DEFAULT_PAGE_SIZE)
            .clamp(1, MAX_PAGE_SIZE)
    }

    pub fn offset(&self) -> u64 {
        u64::from(self.page() - 1) * u64::from(self.page_size())
    }

    /// The response metadata and the `Link` header for a collection of `total` items.
    pub fn result(
        &self,
        req: &HttpRequest,
        public_url: &str,
        total: u64,
    ) -> (PaginaInfo, (header::HeaderName, HeaderValue)) {
        let size = u64::from(self.page_size());
        let last = total.div_ceil(size).max(1);
        let page = u64::from(self.page());
        let path = req
            .path()
            .strip_prefix(crate::openapi::BASE_PATH)
            .unwrap_or(req.path());
        // Keep the client's other parameters; replace only the paging ones.
        let others: Vec<(String, String)> =
            serde_urlencoded::from_str::<Vec<(String, String)>>(req.query_string())
                .unwrap_or_default()
                .into_iter()
                .filter(|(k, _)| k != "page" && k != "pageSize")
                .collect();
        let link = |p: u64, rel: &str| {
            let mut query = others.clone();
            query.push(("page".into(), p.to_string()));
            query.push(("pageSize".into(), size.to_string()));
            let qs = serde_urlencoded::to_string(&query).unwrap_or_default();
            format!("<{public_url}{path}?{qs}>; rel=\"{rel}\"")
        };
        let mut links = vec![link(1, "first")];
        if page > 1 {
            links.push(link((page - 1).min(last), "prev"));
        }
        if page < last {
            links.push(link(page + 1, "next"));
        }
        links.push(link(last, "last"));
        let info = PaginaInfo {
            page: self.page(),
            page_size: self.page_size(),
            totaal: total,
            aantal_paginas: last,
        };
        (
            info,
            (
                header::LINK,
                HeaderValue::from_str(&links.join(", ")).expect("ascii"),
            ),
        )
    }
}

/// Waar deze pagina in de verzameling staat.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"page": 2, "pageSize": 20, "totaal": 57, "aantalPaginas": 3}))]
pub struct PaginaInfo {
    /// Het nummer van deze pagina, vanaf 1.
    pub page: u32,
    /// Het aantal resultaten per pagina.
    pub page_size: u32,
    /// Het totaal aantal resultaten.
    pub totaal: u64,
    /// Het aantal pagina's (minstens 1).
    pub aantal_paginas: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn links(page: u32, size: u32, total: u64, query: &str) -> String {
        let req = TestRequest::get()
            .uri(&format!("/v1/dingen?{query}"))
            .to_http_request();
        let p = Paginering {
            page: Some(page),
            page_size: Some(size),
        };
        let (_, (_, value)) = p.result(&req, "https://api.example/v1", total);
        value.to_str().unwrap().to_string()
    }

    #[test]
    fn middle_page_has_all_four_relations_and_keeps_other_parameters() {
        let l = links(2, 10, 35, "status=open&page=2&pageSize=10");
        assert_eq!(
            l,
            "<https://api.example/v1/dingen?status=open&page=1&pageSize=10>; rel=\"first\", \
             <https://api.example/v1/dingen?status=open&page=1&pageSize=10>; rel=\"prev\", \
             <https://api.example/v1/dingen?status=open&page=3&pageSize=10>; rel=\"next\", \
             <https://api.example/v1/dingen?status=open&page=4&pageSize=10>; rel=\"last\""
        );
    }

    #[test]
    fn first_and_only_page_has_no_prev_or_next() {
        let l = links(1, 20, 0, "");
        assert!(!l.contains("prev") && !l.contains("next"), "{l}");
        assert!(l.contains("page=1&pageSize=20>; rel=\"last\""));
    }

    #[test]
    fn beyond_the_last_page_points_back() {
        let l = links(9, 10, 25, "");
        assert!(l.contains("page=3&pageSize=10>; rel=\"prev\""), "{l}");
        assert!(!l.contains("next"));
    }
}
