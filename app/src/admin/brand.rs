//! `/admin/brand`: what candidates see in the company's colours. The admin sets the colour of
//! the careers pages, the portal and every email (refused when it would make them hard to
//! read) and the careers page's introduction; the company's name is `COMPANY_NAME`.

use crate::components::Branding;
use crate::components::PostForm;
use crate::components::{
    Field, FormError, Loading, TextArea, action_or_url_error, field_error, or_error,
    submit_multipart, url_error,
};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;
use server_fn::codec::{MultipartData, MultipartFormData};

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
        logo: row.logo_path(),
    })
}

/// Uploads the logo (field `logo`: PNG, JPEG or WebP, up to 200 KB), shown in the careers
/// header and on every email.
#[server(input = MultipartFormData)]
pub async fn upload_logo(data: MultipartData) -> Result<(), AppError> {
    let user = require_role(|r| r == Role::Admin).await?;
    let mut form = crate::server::form::Form::read(data, &[("logo", brand::MAX_LOGO)]).await?;
    let file = form.take_file("logo");
    if file.as_ref().is_some_and(|f| f.too_big) {
        return Err(AppError::invalid(
            "logo",
            "That image is larger than 200 KB. Export a smaller one (about 400 pixels wide is plenty).",
        ));
    }
    let Some(bytes) = file.map(|f| f.bytes).filter(|b| !b.is_empty()) else {
        return Err(AppError::invalid(
            "logo",
            "Choose an image file for the logo.",
        ));
    };
    let kind = brand::image_type(&bytes).ok_or_else(|| {
        AppError::invalid(
            "logo",
            "Upload a PNG, JPEG or WebP image (SVG is not accepted).",
        )
    })?;
    brand::save_logo(&state()?.db, Some((bytes, kind)), &user.name).await?;
    leptos_axum::redirect("/admin/brand");
    Ok(())
}

/// Takes the logo away (the header shows the company's name alone).
#[server]
pub async fn remove_logo() -> Result<(), AppError> {
    let user = require_role(|r| r == Role::Admin).await?;
    brand::save_logo(&state()?.db, None, &user.name).await
}

/// `GET /brand/logo`: the logo (public: careers pages and emails show it).
#[cfg(feature = "ssr")]
pub async fn logo_file(
    axum::extract::State(st): axum::extract::State<crate::server::AppState>,
) -> Result<axum::response::Response, AppError> {
    use axum::response::IntoResponse;
    use http::header;
    let (bytes, kind) = brand::logo(&st.db).await?.ok_or(AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, kind),
            // The URL changes with each upload (`?v=N`).
            (header::CACHE_CONTROL, "public, max-age=86400".to_string()),
        ],
        bytes,
    )
        .into_response())
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
            logo: row.logo_path(),
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
    let remove = ServerAction::<RemoveLogo>::new();
    // The logo goes up as a multipart form (plain POST without JavaScript).
    let logo_result = RwSignal::new(url_error::<UploadLogo>());
    let uploading = RwSignal::new(false);
    let uploads = RwSignal::new(0u32);
    Effect::new(move |was: Option<bool>| {
        let now = uploading.get();
        if was == Some(true) && !now && logo_result.get_untracked().is_none() {
            uploads.update(|n| *n += 1);
        }
        now
    });
    let brand = Resource::new(
        move || (save.version().get(), remove.version().get(), uploads.get()),
        |_| brand_settings(),
    );
    let err = action_or_url_error(save);
    let logo_err = Signal::derive(move || logo_result.get().and_then(|e| e.field_message("logo")));
    let saved = move || matches!(save.value().get(), Some(Ok(())));
    view! {
        <Title text="Brand"/>
        <h1>"Brand"</h1>
        <p class="lead">"What candidates see in your colours: the careers pages, their portal, and every email."</p>
        <Show when=saved>
            <p class="banner banner-ok" role="status">"Saved: the careers pages and the next emails use it."</p>
        </Show>
        <FormError error=crate::components::general_error(err)/>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                or_error(brand.await.map(|(b, colour)| { let company = b.company.clone(); let sample_name = b.company.clone(); let logo_alt = format!("The logo of {}", b.company); view! {
                    <section class="card">
                        <h2>"Colours and words"</h2>
                        <PostForm action=save attr:class="form" attr:novalidate=true>
                            <Field label="Colour" name="colour" value=Some(colour)
                                hint="Six hexadecimal digits, such as #0f766e. Buttons, links and the email header use it; a colour too light for white text is refused."
                                error=field_error(err, "colour")/>
                            <TextArea label="Careers introduction" name="intro" rows=4 value=Some(b.intro.clone())
                                hint="A few sentences above the open jobs: who you are and why people like working with you."
                                error=field_error(err, "intro")/>
                            <p class="muted">"The company's name, "<strong>{company.clone()}</strong>", is the legal name on privacy notices and emails: it is set where the server runs ("<code>"COMPANY_NAME"</code>")."</p>
                            <button type="submit" class="btn primary">"Save brand"</button>
                        </PostForm>
                    </section>
                    <section class="card" aria-labelledby="logo-title">
                        <h2 id="logo-title">"Logo"</h2>
                        {match b.logo.clone() {
                            Some(src) => view! {
                                <p><img class="brand-logo-current" src=src alt=logo_alt.clone() height="48"/></p>
                                <PostForm action=remove attr:class="inline">
                                    <button type="submit" class="btn small">"Remove logo"</button>
                                </PostForm>
                            }.into_any(),
                            None => view! { <p class="muted">"No logo yet: the header shows the company's name alone."</p> }.into_any(),
                        }}
                        <form class="form" method="post" action=UploadLogo::url() enctype="multipart/form-data" novalidate=true
                            on:submit=move |ev| submit_multipart(ev, uploading, logo_result, upload_logo)>
                            <Field label="Logo image" name="logo" kind="file" accept="image/png,image/jpeg,image/webp"
                                hint="PNG, JPEG or WebP, up to 200 KB; shown 32 pixels high beside the name." error=logo_err/>
                            <button type="submit" class="btn" disabled=move || uploading.get()>{move || if uploading.get() { "Uploading…" } else { "Upload logo" }}</button>
                        </form>
                    </section>
                    <section class="card brand-preview" aria-labelledby="preview-title">
                        <h2 id="preview-title">"Preview"</h2>
                        <div class="brand-sample" style=b.css.clone()>
                            <p class="brand-sample-bar">
                                {b.logo.clone().map(|src| view! { <img class="brand-logo" src=src alt="" height="32"/> })}
                                {sample_name}
                            </p>
                            <p><a href="/jobs">"Open jobs"</a>" · "<span class="tag">"Tag"</span></p>
                            <a class="btn primary" href="/jobs">"Apply"</a>
                        </div>
                    </section>
                }}))
            })}
        </Transition>
    }
}
