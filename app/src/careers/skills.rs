//! The skills vocabulary that resume text and search are matched against.

/// Canonical skill names. Matching is case-insensitive and respects word edges, so "Go" does not
/// match "good" and "C" is deliberately absent (too ambiguous).
pub const SKILLS: &[&str] = &[
    // languages
    "Rust",
    "Go",
    "Golang",
    "Python",
    "Java",
    "Kotlin",
    "Scala",
    "C++",
    "C#",
    "TypeScript",
    "JavaScript",
    "Ruby",
    "PHP",
    "Swift",
    "Objective-C",
    "Elixir",
    "Erlang",
    "Haskell",
    "OCaml",
    "Clojure",
    "R",
    "MATLAB",
    "SQL",
    "Bash",
    "Zig",
    "Dart",
    "Lua",
    "Perl",
    // web and runtimes
    "React",
    "Vue",
    "Angular",
    "Svelte",
    "Next.js",
    "Node.js",
    "Deno",
    "HTML",
    "CSS",
    "Tailwind",
    "WebAssembly",
    "GraphQL",
    "REST",
    "gRPC",
    "Django",
    "Flask",
    "FastAPI",
    "Rails",
    "Spring",
    "Laravel",
    ".NET",
    "Tokio",
    "Axum",
    "Actix",
    "Leptos",
    // data
    "PostgreSQL",
    "MySQL",
    "SQLite",
    "MongoDB",
    "Redis",
    "Elasticsearch",
    "Kafka",
    "RabbitMQ",
    "SurrealDB",
    "Cassandra",
    "DynamoDB",
    "Snowflake",
    "BigQuery",
    "Spark",
    "Hadoop",
    "Airflow",
    "dbt",
    "Pandas",
    "NumPy",
    "TensorFlow",
    "PyTorch",
    "scikit-learn",
    "Machine learning",
    "Deep learning",
    "NLP",
    "Computer vision",
    "Data modelling",
    "Data analysis",
    "Statistics",
    "Tableau",
    "Power BI",
    "Looker",
    "Excel",
    // infrastructure
    "Kubernetes",
    "Docker",
    "Terraform",
    "Ansible",
    "AWS",
    "GCP",
    "Azure",
    "Linux",
    "Nginx",
    "Prometheus",
    "Grafana",
    "CI/CD",
    "GitHub Actions",
    "Jenkins",
    "Distributed systems",
    "Microservices",
    "Networking",
    "Security",
    "Observability",
    "SRE",
    // product, design, people
    "Figma",
    "Sketch",
    "UX research",
    "UI design",
    "Design systems",
    "Accessibility",
    "Prototyping",
    "Product strategy",
    "Product management",
    "Roadmapping",
    "Agile",
    "Scrum",
    "Project management",
    "Customer success",
    "Account management",
    "Salesforce",
    "HubSpot",
    "Zendesk",
    "Onboarding",
    "Churn analysis",
    "Negotiation",
    "Sales",
    "Marketing",
    "SEO",
    "Copywriting",
    "Recruiting",
    "Sourcing",
    "Mentoring",
    "Leadership",
    "Public speaking",
    "Technical writing",
];

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Skills from the vocabulary that appear in `text`, in vocabulary order.
pub fn find_skills(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let mut found = Vec::new();
    for skill in SKILLS {
        let s = skill.to_lowercase();
        let mut start = 0;
        while let Some(pos) = lower[start..].find(&s) {
            let i = start + pos;
            let before_ok = lower[..i]
                .chars()
                .next_back()
                .is_none_or(|c| !is_word_char(c));
            let end = i + s.len();
            let after_ok = lower[end..].chars().next().is_none_or(|c| !is_word_char(c));
            if before_ok && after_ok {
                found.push(skill.to_string());
                break;
            }
            start = i + s.len().max(1);
            if start >= lower.len() {
                break;
            }
        }
    }
    found
}

/// The canonical spelling of a skill typed by someone (case-insensitive), if it is known.
pub fn canonical(skill: &str) -> Option<&'static str> {
    let s = skill.trim();
    SKILLS.iter().copied().find(|k| k.eq_ignore_ascii_case(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skills_match_on_word_edges() {
        let s =
            find_skills("Senior engineer: RUST, tokio and PostgreSQL; good at golf. Node.js too.");
        assert!(s.contains(&"Rust".to_string()));
        assert!(s.contains(&"Tokio".to_string()));
        assert!(!s.contains(&"Go".to_string()), "good/golf are not Go");
        assert!(s.contains(&"Node.js".to_string()));
        assert_eq!(canonical("postgresql"), Some("PostgreSQL"));
        assert_eq!(canonical("cobol"), None);
    }
}
