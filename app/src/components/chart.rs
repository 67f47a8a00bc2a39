//! Charts drawn as SVG on the server: readable without JavaScript, named for screen readers
//! (`role="img"` with a title; the numbers are always in a table beside the chart), with a
//! tooltip per bar from the SVG's own `<title>`.

use leptos::prelude::*;

/// One bar: its label, its length, and the words shown at its end and in its tooltip.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub text: String,
}

const WIDTH: f64 = 640.0;
const LABEL: f64 = 170.0;
const ROOM: f64 = 120.0;
const ROW: f64 = 30.0;

/// The bar length for `value` when the longest bar is `max` (a zero shows as a hairline).
pub fn bar_length(value: f64, max: f64) -> f64 {
    let room = WIDTH - LABEL - ROOM;
    if max <= 0.0 || value <= 0.0 {
        1.0
    } else {
        (value / max * room).max(1.0)
    }
}

/// Horizontal bars, one per row, scaled to the longest.
#[component]
pub fn BarChart(
    /// Unique in the page: the chart's title is referenced by it.
    id: &'static str,
    #[prop(into)] title: String,
    bars: Vec<Bar>,
) -> impl IntoView {
    let max = bars.iter().map(|b| b.value).fold(0.0, f64::max);
    let height = ROW * bars.len().max(1) as f64 + 8.0;
    let title_id = format!("{id}-title");
    let labelled_by = title_id.clone();
    view! {
        <figure class="chart" id=id>
            <svg viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-labelledby=labelled_by
                preserveAspectRatio="xMinYMin meet" width="100%">
                <title id=title_id>{title}</title>
                {bars.into_iter().enumerate().map(|(i, b)| {
                    let y = 4.0 + ROW * i as f64;
                    let w = bar_length(b.value, max);
                    let tip = format!("{}: {}", b.label, b.text);
                    view! {
                        <g class="chart-row">
                            <title>{tip}</title>
                            <text x={LABEL - 8.0} y={y + ROW / 2.0} text-anchor="end" dominant-baseline="middle" class="chart-label">{b.label}</text>
                            <rect x=LABEL y={y + 4.0} width=w height={ROW - 8.0} rx="3" class="chart-bar"></rect>
                            <text x={LABEL + w + 6.0} y={y + ROW / 2.0} dominant-baseline="middle" class="chart-value">{b.text}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_longest_and_zero_is_a_hairline() {
        let room = WIDTH - LABEL - ROOM;
        assert_eq!(bar_length(10.0, 10.0), room);
        assert_eq!(bar_length(5.0, 10.0), room / 2.0);
        assert_eq!(bar_length(0.0, 10.0), 1.0);
        assert_eq!(bar_length(0.0, 0.0), 1.0);
    }
}
