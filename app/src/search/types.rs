//! Search wire types.

use serde::{Deserialize, Serialize};

/// Filters beside the text query (empty strings mean "any").
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchFilters {
    pub job: String,
    pub stage: String,
    pub tag: String,
    pub source: String,
    /// `YYYY-MM-DD`, inclusive.
    pub applied_from: String,
    /// `YYYY-MM-DD`, inclusive.
    pub applied_to: String,
}

impl SearchFilters {
    pub fn is_empty(&self) -> bool {
        self.job.is_empty()
            && self.stage.is_empty()
            && self.tag.is_empty()
            && self.source.is_empty()
            && self.applied_from.is_empty()
            && self.applied_to.is_empty()
    }
    pub fn needs_applications(&self) -> bool {
        !(self.job.is_empty()
            && self.stage.is_empty()
            && self.applied_from.is_empty()
            && self.applied_to.is_empty())
    }
}

/// A piece of a snippet; `hit` pieces are highlighted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    pub text: String,
    pub hit: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub id: String,
    pub name: String,
    pub email: String,
    pub headline: Option<String>,
    pub tags: Vec<String>,
    /// Which field the snippet comes from ("Resume", "Notes", "Skills", …).
    pub snippet_field: Option<String>,
    pub snippet: Vec<Segment>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    /// How many people match in all.
    pub total: usize,
    pub next_cursor: Option<String>,
    /// Counts per tag and source for these results (the search page only).
    #[serde(default)]
    pub facets: Facets,
}

/// One value of a facet and how many of the people found have it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FacetValue {
    pub value: String,
    pub count: u64,
}

/// How many of the people found each filter value would show.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Facets {
    pub tags: Vec<FacetValue>,
    pub sources: Vec<FacetValue>,
}

/// Choices for the filter form.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FilterOptions {
    pub jobs: Vec<(String, String)>,
    pub stages: Vec<(String, String)>,
    pub tags: Vec<String>,
    pub sources: Vec<String>,
}
