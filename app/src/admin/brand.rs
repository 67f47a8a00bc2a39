//! `/admin/brand`: what candidates see in the company's colours. The admin sets the colour of
//! the careers pages, the portal and every email (refused when it would make them hard to
//! read) and the careers page's introduction; the company's name is `COMPANY_NAME`.

use crate::components::Branding;
use crate::components::{
    Field, FormError, Loading, TextArea, action_or_url_error, field_error, or_error,
};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

#[cfg(feature = "ssr")]
use {
    crate::auth::guard::require_role, crate::auth::types::Role, crate::error::Checks,
    crate::server::brand, crate::server::state,
};

/// The brand (public: every careers and portal page shows it).
#[server]
pub async fn public_brand() -> Result<Branding, AppError> {
    let st = state()?;
    let row = brand::load(&st.db).await?;
    Ok(Branding {
        company: st.config.company_name.clone(),
        css: brand::css_variables(row.colour()),
        intro: row.intro.clone().unwrap_or_default(),
    })
}

/// The brand as an admin edits it: the colour as set.
#[server]
pub async fn brand_settings() -> Result<(Branding, String), AppError> {
    require_role(|r| r == Role::Admin).await?;
    let st = state()?;
    let row = brand::load(&st.db).await?;
    Ok((
        Branding {
            company: st.config.company_name.clone(),
            css: brand::css_variables(row.colour()),
            intro: row.intro.clone().unwrap_or_default(),
        },
        row.colour().to_string(),
    ))
}

/// Sets the colour and the careers introduction (admins).
#[server]
pub async fn save_brand(colour: String, #[server(default)] intro: String) -> Result<(), AppError> {
    let user = require_role(|r| r == Role::Admin).await?;
    let mut c = Checks::new();
    let colour = c.check("colour", brand::parse_colour(&colour));
    let intro = intro.trim().replace("\r\n", "\n");
    if intro.chars().count() > brand::MAX_INTRO {
        c.add(
            "intro",
            format!(
                "Keep the introduction to {} characters (it has {}).",
                brand::MAX_INTRO,
                intro.chars().count()
            ),
        );
    }
    c.finish()?;
    brand::save(
        &state()?.db,
        &colour.unwrap_or_default(),
        &intro,
        &user.name,
    )
    .await
}

#[component]
pub fn BrandPage() -> impl IntoView {
    let save = ServerAction::<SaveBrand>::new();
    let brand = Resource::new(move || save.version().get(), |_| brand_settings());
    let err = action_or_url_error(save);
    let saved = move || matches!(save.value().get(), Some(Ok(())));
    view! {
        <Title text="Brand"/>
        <h1>"Brand"</h1>
        <p class="lead">"What candidates see in your colours: the careers pages, their portal, and every email."</p>
        <Show when=saved>
            <p class="banner banner-ok" role="status">"Saved: the careers pages and the next emails use it."</p>
        </Show>
        <FormError error=Signal::derive(move || err.get().filter(|e| !matches!(e, AppError::Validation(_))))/>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                or_error(brand.await.map(|(b, colour)| { let company = b.company.clone(); view! {
                    <section class="card">
                        <h2>"Colours and words"</h2>
                        <ActionForm action=save attr:class="form" attr:novalidate=true>
                            <Field label="Colour" name="colour" value=Some(colour)
                                hint="Six hexadecimal digits, such as #0f766e. Buttons, links and the email header use it; a colour too light for white text is refused."
                                error=field_error(err, "colour")/>
                            <TextArea label="Careers introduction" name="intro" rows=4 value=Some(b.intro.clone())
                                hint="A few sentences above the open jobs: who you are and why people like working with you."
                                error=field_error(err, "intro")/>
                            <p class="muted">"The company's name, "<strong>{b.company.clone()}</strong>", is the legal name on privacy notices and emails: it is set where the server runs ("<code>"COMPANY_NAME"</code>")."</p>
                            <button type="submit" class="btn primary">"Save brand"</button>
                        </ActionForm>
                    </section>
                    <section class="card brand-preview" aria-labelledby="preview-title">
                        <h2 id="preview-title">"Preview"</h2>
                        <div class="brand-sample" style=b.css.clone()>
                            <p class="brand-sample-bar">{company}</p>
                            <p><a href="/jobs">"Open jobs"</a>" · "<span class="tag">"Tag"</span></p>
                            <a class="btn primary" href="/jobs">"Apply"</a>
                        </div>
                    </section>
                }}))
            })}
        </Transition>
    }
}
