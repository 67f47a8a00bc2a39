//! CSV downloads of the reports: `GET /app/reports/{funnel,sources,hires}.csv?<the page's
//! filters>`, for the same callers as the page.

use super::types::*;
use crate::error::AppError;
use crate::server::csv::{cell, csv_attachment};

/// Which table to download.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Table {
    Funnel,
    Sources,
    Hires,
}

impl Table {
    fn name(self) -> &'static str {
        match self {
            Table::Funnel => "funnel",
            Table::Sources => "sources",
            Table::Hires => "hires-by-month",
        }
    }
}

fn opt(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.1}")).unwrap_or_default()
}

fn share(v: Option<f64>) -> String {
    v.map(|x| format!("{:.3}", x)).unwrap_or_default()
}

/// The rows of one table as CSV text (numbers as numbers; days with one decimal).
pub fn to_csv(table: Table, r: &HiringReport) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    match table {
        Table::Funnel => {
            w.write_record([
                "Stage",
                "Reached",
                "Share of previous stage",
                "Median days to reach",
                "Median days in stage",
                "In stage now",
                "Rejected here",
                "Withdrew here",
            ])?;
            for f in &r.figures.funnel {
                w.write_record([
                    cell(&f.name),
                    f.reached.to_string(),
                    share(f.conversion),
                    opt(f.days_to_reach.map(|s| s.median)),
                    opt(f.days_in_stage.map(|s| s.median)),
                    f.now_in_stage.to_string(),
                    f.rejected.to_string(),
                    f.withdrawn.to_string(),
                ])?;
            }
        }
        Table::Sources => {
            w.write_record([
                "Source",
                "Applications",
                "Past the first stage",
                "Offers",
                "Hires",
                "Hire rate",
                "Hires warmed by a campaign",
            ])?;
            for s in &r.figures.sources {
                w.write_record([
                    cell(&s.label),
                    s.applications.to_string(),
                    s.advanced.to_string(),
                    s.offers.to_string(),
                    s.hires.to_string(),
                    share(s.hire_rate()),
                    s.warmed_hires.to_string(),
                ])?;
            }
        }
        Table::Hires => {
            w.write_record([
                "Month",
                "Hires",
                "Median days to hire",
                "75th percentile days",
            ])?;
            for m in &r.figures.hires_by_month {
                w.write_record([
                    m.month.clone(),
                    m.hires.to_string(),
                    opt(m.days_to_hire.map(|s| s.median)),
                    opt(m.days_to_hire.map(|s| s.p75)),
                ])?;
            }
        }
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

async fn download(
    st: crate::server::AppState,
    headers: http::HeaderMap,
    query: ReportQuery,
    table: Table,
) -> Result<axum::response::Response, AppError> {
    let user = crate::auth::guard::staff_from_headers(&st, &headers)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let report = super::api::build(&st.db, &user, query).await?;
    let csv = to_csv(table, &report).map_err(crate::server::db::internal)?;
    Ok(csv_attachment(
        &format!(
            "{}-{}-to-{}",
            table.name(),
            report.query.from,
            report.query.to
        ),
        csv,
    ))
}

macro_rules! download_route {
    ($name:ident, $table:expr) => {
        async fn $name(
            axum::extract::State(st): axum::extract::State<crate::server::AppState>,
            axum::extract::Query(q): axum::extract::Query<ReportQuery>,
            headers: http::HeaderMap,
        ) -> Result<axum::response::Response, AppError> {
            download(st, headers, q, $table).await
        }
    };
}
download_route!(funnel_csv, Table::Funnel);
download_route!(sources_csv, Table::Sources);
download_route!(hires_csv, Table::Hires);

/// This feature's plain HTTP routes (merged by `crate::startup::routes`).
pub fn routes() -> crate::server::http::Routes {
    use axum::routing::get;
    crate::server::http::Routes::new()
        .route("/app/reports/funnel.csv", get(funnel_csv))
        .route("/app/reports/sources.csv", get(sources_csv))
        .route("/app/reports/hires.csv", get(hires_csv))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stage_named_like_a_formula_is_written_as_text() {
        let r = HiringReport {
            query: ReportQuery::default(),
            options: ReportOptions::default(),
            figures: Figures {
                applications: 2,
                funnel: vec![FunnelRow {
                    name: "=cmd".into(),
                    stage_id: None,
                    reached: 2,
                    conversion: None,
                    days_to_reach: Some(Spread {
                        median: 0.0,
                        p75: 0.0,
                        n: 2,
                    }),
                    days_in_stage: None,
                    now_in_stage: 2,
                    rejected: 0,
                    withdrawn: 0,
                    reasons: vec![],
                }],
                ..Figures::default()
            },
            can_search: false,
            impact: None,
        };
        let csv = to_csv(Table::Funnel, &r).unwrap();
        let mut lines = csv.lines();
        assert!(lines.next().unwrap().starts_with("Stage,Reached,"));
        assert_eq!(lines.next().unwrap(), "'=cmd,2,,0.0,,2,0,0");
    }
}
