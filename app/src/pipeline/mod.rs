//! The pipeline board: a column per stage, a card per application, moves by drag-and-drop,
//! keyboard or a plain form.

pub mod api;
#[cfg(feature = "ssr")]
pub mod bulk;
#[cfg(feature = "ssr")]
pub mod live;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
pub mod views;

pub use views::BoardPage;
