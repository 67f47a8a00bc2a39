//! What a person chose for the board's columns through their menus: the order of a column's
//! cards and whether it is collapsed. Kept per job in the browser (`localStorage`), so the board
//! looks the same on the next visit; the server never sees it.

use super::types::{Card, Column};
use crate::components::ui::{Menu, MenuItem};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;
use std::collections::BTreeMap;

/// How a column orders its cards.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnSort {
    /// The board's own order (the filters' sort).
    #[default]
    Board,
    LongestInStage,
    NewestInStage,
    Name,
    Score,
}

impl ColumnSort {
    pub const ALL: [ColumnSort; 5] = [
        ColumnSort::Board,
        ColumnSort::LongestInStage,
        ColumnSort::NewestInStage,
        ColumnSort::Name,
        ColumnSort::Score,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ColumnSort::Board => "Board order",
            ColumnSort::LongestInStage => "Longest in stage",
            ColumnSort::NewestInStage => "Newest in stage",
            ColumnSort::Name => "Name",
            ColumnSort::Score => "Screening score",
        }
    }

    /// Orders `cards`; the sort is stable, so cards that compare equal keep the board's order.
    pub fn apply(self, cards: &mut [Card]) {
        match self {
            ColumnSort::Board => {}
            ColumnSort::LongestInStage => cards.sort_by_key(|c| Reverse(c.days_in_stage)),
            ColumnSort::NewestInStage => cards.sort_by_key(|c| c.days_in_stage),
            ColumnSort::Name => cards.sort_by_cached_key(|c| crate::components::lowercase(&c.name)),
            // Those who pass first, then by share of points; the unread last.
            ColumnSort::Score => {
                cards.sort_by_key(|c| Reverse(c.screening.map(|s| (s.passed, s.percent()))))
            }
        }
    }
}

/// One column's choices.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnPrefs {
    #[serde(default)]
    pub sort: ColumnSort,
    #[serde(default)]
    pub collapsed: bool,
}

/// Every column's choices on one board, by column id.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct BoardPrefs(BTreeMap<String, ColumnPrefs>);

impl BoardPrefs {
    /// What was stored; anything unreadable (an older format, a hand edit) is forgotten.
    pub fn read(raw: &str) -> Self {
        serde_json::from_str(raw).unwrap_or_default()
    }

    /// The value to store: only columns that differ from the default.
    pub fn write(&self) -> String {
        let kept: BTreeMap<&String, &ColumnPrefs> = self
            .0
            .iter()
            .filter(|(_, p)| **p != ColumnPrefs::default())
            .collect();
        serde_json::to_string(&kept).unwrap_or_default()
    }

    pub fn of(&self, column: &str) -> ColumnPrefs {
        self.0.get(column).copied().unwrap_or_default()
    }

    pub fn set(&mut self, column: &str, f: impl FnOnce(&mut ColumnPrefs)) {
        f(self.0.entry(column.to_string()).or_default());
    }

    /// The board's `grid-template-columns` when some of `columns` are collapsed (a narrow
    /// strip each), or `None` when none is.
    pub fn grid_columns<'a>(&self, columns: impl Iterator<Item = &'a str>) -> Option<String> {
        let widths: Vec<(bool, &str)> = columns
            .map(|c| {
                let collapsed = self.of(c).collapsed;
                (
                    collapsed,
                    if collapsed {
                        "3rem"
                    } else {
                        "minmax(200px, 1fr)"
                    },
                )
            })
            .collect();
        widths
            .iter()
            .any(|(c, _)| *c)
            .then(|| widths.iter().map(|(_, w)| *w).collect::<Vec<_>>().join(" "))
    }
}

/// How many cards a column shows before its "Show N more" link. Every shown card is rendered by
/// the server: the 1,000-card board spent about 25 ms of its 60 ms page on them
/// (`scripts/bench.sh board`), and a person reads the top of a column, not its 250th card.
pub const COLUMN_WINDOW: usize = 50;

/// The columns showing every card: `?all=applied,interview`, what the "Show N more" links add.
pub fn expanded_columns(raw: Option<&str>) -> Vec<String> {
    let mut cols: Vec<String> = raw
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect();
    cols.dedup();
    cols
}

/// The `all` value that also shows `column` (the list as it is, plus that one).
pub fn with_expanded(expanded: &[String], column: &str) -> String {
    let mut cols = expanded.to_vec();
    if !cols.iter().any(|c| c == column) {
        cols.push(column.to_string());
    }
    cols.join(",")
}

/// The cards a column shows, in its order: every one when `all`, otherwise the first
/// [`COLUMN_WINDOW`] and any later card that must stay in view (`keep`: a card this person just
/// moved here, or the one whose move form is open).
pub fn visible_cards(cards: Vec<Card>, all: bool, keep: impl Fn(&Card) -> bool) -> Vec<Card> {
    if all || cards.len() <= COLUMN_WINDOW {
        return cards;
    }
    cards
        .into_iter()
        .enumerate()
        .filter(|(i, c)| *i < COLUMN_WINDOW || keep(c))
        .map(|(_, c)| c)
        .collect()
}

/// Puts a newer state of a card (a move, a live change) on the board where the server would:
/// a card that entered another column is newest in it, so it goes last (the board's order is
/// longest in stage first), unless the board is ordered by screening score (`by_score`), which
/// a move does not change. Any other change keeps the card's place; a card not on the board
/// yet is added last.
pub fn put_card(cards: &mut Vec<Card>, card: Card, by_score: bool) {
    match cards.iter().position(|c| c.id == card.id) {
        Some(i) if !by_score && cards[i].column() != card.column() => {
            cards.remove(i);
            cards.push(card);
        }
        Some(i) => cards[i] = card,
        None => cards.push(card),
    }
}

/// Keeps a card in view in a long column (see [`visible_cards`]), once.
pub fn keep_in_view(kept: RwSignal<Vec<String>>, card_id: &str) {
    if !kept.with_untracked(|k| k.iter().any(|c| c == card_id)) {
        kept.update(|k| k.push(card_id.to_string()));
    }
}

/// The end of a long column: "Show N more", a link to the board with the column in `?all=`.
/// With JavaScript it shows the rest in place and puts focus on the first card it revealed.
#[component]
pub fn ShowMore(
    column: Column,
    count: Memo<usize>,
    shown: Memo<Vec<Card>>,
    expanded: RwSignal<Vec<String>>,
    /// The board's query without `all` (`?` or `?tag=x&`).
    href_base: StoredValue<String>,
) -> impl IntoView {
    let col = StoredValue::new(column.id.clone());
    let name = StoredValue::new(column.name);
    move || {
        let more = count.get().saturating_sub(shown.with(Vec::len));
        let id = col.get_value();
        let href = format!(
            "{}all={}#col-{}",
            href_base.get_value(),
            expanded.with(|e| with_expanded(e, &id)),
            id.trim_start_matches('@')
        );
        let reveal = move |ev: leptos::ev::MouseEvent| {
            // Ctrl/Cmd-click still opens the link in a new tab.
            if ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.button() != 0 {
                return;
            }
            ev.prevent_default();
            let before: Vec<String> =
                shown.with_untracked(|s| s.iter().map(|c| c.id.clone()).collect());
            expanded.update(|e| e.push(col.get_value()));
            let first_new = shown.with_untracked(|s| {
                s.iter()
                    .find(|c| !before.contains(&c.id))
                    .map(|c| c.id.clone())
            });
            if let Some(card) = first_new {
                super::board_client::focus_card_later(card);
            }
        };
        (more > 0).then(|| {
            view! {
                <a class="column-more" href=href on:click=reveal>
                    {format!("Show {more} more")}
                    <span class="visually-hidden">{format!(" in {}", name.get_value())}</span>
                </a>
            }
        })
    }
}

/// The `localStorage` key of a job's board.
pub fn storage_key(job_id: &str) -> String {
    format!("ats.board.{job_id}")
}

/// A column's menu: its sort orders and collapse. Each choice is stored at once.
#[component]
pub fn ColumnMenu(column: Column, prefs: RwSignal<BoardPrefs>, job_id: String) -> impl IntoView {
    let col = StoredValue::new(column.id.clone());
    let job = StoredValue::new(job_id);
    let change = move |f: Box<dyn FnOnce(&mut ColumnPrefs)>| {
        prefs.update(|p| p.set(&col.get_value(), f));
        prefs.with_untracked(|p| store(&job.get_value(), p));
    };
    let current = move || prefs.with(|p| p.of(&col.get_value()));
    let mut items: Vec<MenuItem> = ColumnSort::ALL
        .into_iter()
        .map(|s| {
            MenuItem::option(
                format!("Sort: {}", s.label()),
                move || current().sort == s,
                move || change(Box::new(move |c| c.sort = s)),
            )
        })
        .collect();
    items.push(
        MenuItem::action(
            Signal::derive(move || {
                if current().collapsed {
                    "Expand the column".to_string()
                } else {
                    "Collapse the column".to_string()
                }
            }),
            move || change(Box::new(|c| c.collapsed = !c.collapsed)),
        )
        .separated(),
    );
    view! {
        <Menu label=format!("Options for the {} column", column.name) button="⋯"
            id=format!("colmenu-{}", column.id.trim_start_matches('@')) items=items/>
    }
}

/// The choices stored for `job_id`'s board (default ones on the server and without storage).
pub fn load(job_id: &str) -> BoardPrefs {
    #[cfg(feature = "hydrate")]
    {
        let raw = window()
            .local_storage()
            .ok()
            .flatten()
            .and_then(|s| s.get_item(&storage_key(job_id)).ok().flatten());
        raw.map(|r| BoardPrefs::read(&r)).unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = job_id;
        BoardPrefs::default()
    }
}

fn store(job_id: &str, prefs: &BoardPrefs) {
    #[cfg(feature = "hydrate")]
    if let Some(s) = window().local_storage().ok().flatten() {
        // A full or disabled storage only means the choice is not remembered.
        let _ = s.set_item(&storage_key(job_id), &prefs.write());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (job_id, prefs);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::types::CardStatus;
    use crate::screening::types::Score;

    fn card(name: &str, days: i64, score: Option<(u32, u32, bool)>) -> Card {
        Card {
            id: name.to_lowercase(),
            person_id: "p".into(),
            name: name.into(),
            stage: "screen".into(),
            status: CardStatus::Active,
            days_in_stage: days,
            tags: vec![],
            source: String::new(),
            headline: None,
            new: false,
            feedback: None,
            masked: false,
            screening: score.map(|(points, possible, passed)| Score {
                points,
                possible,
                passed,
                unknown: 0,
            }),
        }
    }

    fn names(sort: ColumnSort) -> Vec<String> {
        let mut cards = vec![
            card("bo", 3, Some((2, 4, true))),
            card("Ada", 9, None),
            card("Cy", 1, Some((4, 4, true))),
            card("Di", 3, Some((3, 4, false))),
        ];
        sort.apply(&mut cards);
        cards.into_iter().map(|c| c.name).collect()
    }

    #[test]
    fn a_column_sorts_its_cards() {
        assert_eq!(names(ColumnSort::Board), ["bo", "Ada", "Cy", "Di"]);
        assert_eq!(names(ColumnSort::LongestInStage), ["Ada", "bo", "Di", "Cy"]);
        assert_eq!(names(ColumnSort::NewestInStage), ["Cy", "bo", "Di", "Ada"]);
        // Case does not matter.
        assert_eq!(names(ColumnSort::Name), ["Ada", "bo", "Cy", "Di"]);
        // Passing first (best share first), then failing, then unread.
        assert_eq!(names(ColumnSort::Score), ["Cy", "bo", "Di", "Ada"]);
    }

    #[test]
    fn choices_survive_storage_and_junk_is_forgotten() {
        let mut p = BoardPrefs::default();
        p.set("screen", |c| c.sort = ColumnSort::Name);
        p.set("@rejected", |c| c.collapsed = true);
        p.set("offer", |c| c.sort = ColumnSort::Board);
        let raw = p.write();
        // The default column is not stored.
        assert!(!raw.contains("offer"), "{raw}");
        let back = BoardPrefs::read(&raw);
        assert_eq!(back.of("screen").sort, ColumnSort::Name);
        assert!(back.of("@rejected").collapsed);
        assert_eq!(back.of("offer"), ColumnPrefs::default());
        assert_eq!(BoardPrefs::read("{not json"), BoardPrefs::default());
        assert_eq!(
            BoardPrefs::read(r#"{"x":{"sort":"sideways"}}"#),
            BoardPrefs::default()
        );
    }

    #[test]
    fn collapsed_columns_become_narrow_strips() {
        let mut p = BoardPrefs::default();
        let cols = ["a", "b", "c"];
        assert_eq!(p.grid_columns(cols.into_iter()), None);
        p.set("b", |c| c.collapsed = true);
        assert_eq!(
            p.grid_columns(cols.into_iter()).as_deref(),
            Some("minmax(200px, 1fr) 3rem minmax(200px, 1fr)")
        );
    }

    #[test]
    fn a_long_column_shows_its_first_cards_and_those_kept_in_view() {
        let cards: Vec<Card> = (0..COLUMN_WINDOW + 7)
            .map(|i| card(&format!("C{i}"), 0, None))
            .collect();
        let shown = visible_cards(cards.clone(), false, |c| c.id == "c55");
        assert_eq!(shown.len(), COLUMN_WINDOW + 1);
        assert_eq!(shown[0].name, "C0");
        assert_eq!(
            shown[COLUMN_WINDOW - 1].name,
            format!("C{}", COLUMN_WINDOW - 1)
        );
        assert_eq!(shown[COLUMN_WINDOW].name, "C55");
        assert_eq!(
            visible_cards(cards.clone(), true, |_| false).len(),
            COLUMN_WINDOW + 7
        );
        // A short column shows everything.
        assert_eq!(
            visible_cards(cards[..3].to_vec(), false, |_| false).len(),
            3
        );
    }

    #[test]
    fn a_card_that_enters_a_column_goes_last_unless_the_board_is_ordered_by_score() {
        let board = || vec![card("A", 9, None), card("B", 5, None), card("C", 1, None)];
        let ids = |cs: &[Card]| cs.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
        let mut a = board()[0].clone();
        a.stage = "interview".into();
        a.days_in_stage = 0;

        let mut cs = board();
        put_card(&mut cs, a.clone(), false);
        assert_eq!(ids(&cs), ["B", "C", "A"]);
        assert_eq!(cs[2].stage, "interview");

        let mut cs = board();
        put_card(&mut cs, a.clone(), true);
        assert_eq!(ids(&cs), ["A", "B", "C"]);
        assert_eq!(cs[0].stage, "interview");

        // Another change in the same column keeps the card's place.
        let mut b = board()[1].clone();
        b.tags = vec!["rust".into()];
        let mut cs = board();
        put_card(&mut cs, b, false);
        assert_eq!(ids(&cs), ["A", "B", "C"]);
        assert_eq!(cs[1].tags, ["rust"]);

        // A new card is added last.
        let mut cs = board();
        put_card(&mut cs, card("D", 0, None), false);
        assert_eq!(ids(&cs), ["A", "B", "C", "D"]);
    }

    #[test]
    fn show_all_links_add_their_column_once() {
        assert!(expanded_columns(None).is_empty());
        let cols = expanded_columns(Some("applied, ,interview"));
        assert_eq!(cols, ["applied", "interview"]);
        assert_eq!(with_expanded(&cols, "offer"), "applied,interview,offer");
        assert_eq!(with_expanded(&cols, "applied"), "applied,interview");
        assert_eq!(with_expanded(&[], "@rejected"), "@rejected");
    }
}
