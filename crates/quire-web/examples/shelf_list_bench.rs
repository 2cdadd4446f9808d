//! Benchmark (run by `bench/shelf`): the shelving cart of a location with N
//! items (default 100,000) on a fresh SQLite library — the whole cart from
//! the service, one 100-item page from the service (first, middle, jump,
//! last), the staff page of one page (service + template + HTTP handling,
//! in process), the streamed printable whole cart — plus a shelf browse
//! around the middle item. Prints a Markdown table.

use std::time::Instant;

use axum::body::Body;
use axum::http::Request;
use quire_domain::callnumber::{Scheme, sort_key};
use quire_domain::org::{BranchForm, LocationInput};
use quire_domain::staff::NewStaffForm;
use quire_library::shelf::{BrowseAt, CartAt};
use quire_library::{Ctx, Library};
use quire_store::catalog::{ItemWrite, RecordWrite};
use tower::ServiceExt;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir()?;
    let lib = Library::open(&format!("sqlite:{}", dir.path().join("q.db").display()))
        .await
        .map_err(|e| e.detail)?;
    let sys = Ctx::system("bench");
    let b = lib
        .create_branch(
            &sys,
            &BranchForm {
                code: "MAIN".into(),
                name: "Main".into(),
                ..Default::default()
            },
            None,
        )
        .await
        .map_err(|e| e.detail)?;
    let loc = lib
        .create_location(
            &sys,
            b.id,
            &LocationInput::parse("STACKS", "Stacks", true, true, true)
                .map_err(|e| format!("{e:?}"))?,
        )
        .await
        .map_err(|e| e.detail)?;
    lib.create_staff(
        &sys,
        &NewStaffForm {
            username: "bench".into(),
            display_name: "Bench".into(),
            roles: vec!["admin".into()],
            password: "long enough secret".into(),
            ..Default::default()
        },
    )
    .await
    .map_err(|e| e.detail)?;
    let (_, token) = lib
        .create_api_token(&sys, "bench", "bench")
        .await
        .map_err(|e| e.detail)?;

    // N items on one record, all on the cart, with generated LC call numbers.
    let t = Instant::now();
    let now = lib.now();
    let mut tx = lib.store().begin().await?;
    let marc = b"00026nam a2200025 a 4500\x1e\x1d".to_vec();
    let record = tx
        .insert_record(&RecordWrite {
            control_number: None,
            control_number_identifier: None,
            marc: &marc,
            title: "Benchmark title",
            title_sort: "benchmark title",
            author: None,
            publisher: None,
            year: None,
            language: None,
            format: "book",
            now,
        })
        .await?;
    let classes = ["QA", "PS", "PR", "HV", "BF", "DS", "E", "KF"];
    for i in 0..n {
        let cn = format!(
            "{}{} .{}{} {}",
            classes[i % 8],
            1 + (i * 7919) % 9999,
            char::from(b'A' + (i % 26) as u8),
            1 + (i * 31) % 999,
            1900 + i % 126
        );
        let key = sort_key(Scheme::Lc, &cn).into_string();
        let barcode = format!("B{i:09}");
        tx.insert_item(&ItemWrite {
            record_id: record,
            barcode: &barcode,
            branch_id: b.id,
            location_id: Some(loc.id),
            call_number: Some(&cn),
            call_number_scheme: "lc",
            call_number_sort: Some(&key),
            item_type: "BOOK",
            status: "reshelving",
            copy_number: None,
            price_minor: None,
            now,
        })
        .await?;
    }
    tx.commit().await?;
    let load = t.elapsed();

    // The whole cart in one call (what the printable list and the API use).
    let t = Instant::now();
    let cart = lib
        .shelving_cart(&sys, "MAIN", "STACKS")
        .await
        .map_err(|e| e.detail)?;
    let whole = t.elapsed();
    assert_eq!(cart.items.len(), n);
    let middle = cart.items[n / 2].item_id;
    let middle_cn = cart.items[n / 2].call_number.clone().unwrap_or_default();
    drop(cart);

    // One page (100 items) of the cart, by keyset: first, middle, jump, last.
    let median = |mut v: Vec<std::time::Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let mut service_pages = Vec::new();
    for at in [
        CartAt::First,
        CartAt::After(middle),
        CartAt::Jump(middle_cn.clone()),
        CartAt::Last,
    ] {
        let mut times = Vec::new();
        for _ in 0..5 {
            let t = Instant::now();
            let p = lib
                .shelving_cart_page(&sys, "MAIN", "STACKS", &at, 100)
                .await
                .map_err(|e| e.detail)?;
            times.push(t.elapsed());
            assert_eq!(p.items.len(), 100);
            assert_eq!(p.total, i64::try_from(n)?);
        }
        service_pages.push((at, median(times)));
    }

    let state = quire_web::AppState::new(lib.clone(), false, "UTC", dir.path().join("uploads"))?;
    let app = quire_web::router(state);
    let get = |path: String| {
        let app = app.clone();
        let token = token.clone();
        async move {
            let req = Request::get(path)
                .header("authorization", format!("Bearer {token}"))
                .body(Body::empty())?;
            let t = Instant::now();
            let resp = app.oneshot(req).await?;
            assert_eq!(resp.status(), 200);
            let body = axum::body::to_bytes(resp.into_body(), usize::MAX).await?;
            Ok::<_, Box<dyn std::error::Error>>((t.elapsed(), body.len()))
        }
    };
    let mut pages = Vec::new();
    for (what, path) in [
        (
            "first page",
            "/staff/shelf/carts?branch=MAIN&location=STACKS".to_owned(),
        ),
        (
            "page from the middle",
            format!("/staff/shelf/carts?branch=MAIN&location=STACKS&after={middle}"),
        ),
    ] {
        let mut times = Vec::new();
        let mut size = 0;
        for _ in 0..5 {
            let (d, s) = get(path.clone()).await?;
            times.push(d);
            size = s;
        }
        pages.push((what, median(times), size));
    }
    let (print, print_size) =
        get("/staff/shelf/carts/print?branch=MAIN&location=STACKS".to_owned()).await?;

    let t = Instant::now();
    let v = lib
        .shelf_browse(middle, BrowseAt::Around, 10, true)
        .await
        .map_err(|e| e.detail)?;
    let browse = t.elapsed();
    assert_eq!(v.items.len(), 21);

    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    println!("| step ({n} items on one location's cart, SQLite) | time |");
    println!("|---|---:|");
    println!("| load the items (one transaction) | {:.0} ms |", ms(load));
    println!(
        "| service: whole cart, `shelving_cart` ({n} entries) | {:.0} ms |",
        ms(whole)
    );
    for (at, d) in &service_pages {
        let what = match at {
            CartAt::First => "first page".to_owned(),
            CartAt::After(_) => "page after the middle item".to_owned(),
            CartAt::Jump(cn) => format!("jump to `{cn}`"),
            _ => "last page".to_owned(),
        };
        println!(
            "| service: `shelving_cart_page`, 100 items, {what} (median of 5) | {:.1} ms |",
            ms(*d)
        );
    }
    for (what, d, size) in &pages {
        println!(
            "| page: `GET /staff/shelf/carts`, 100 items, {what} (median of 5, {:.0} KB HTML) | {:.1} ms |",
            *size as f64 / 1e3,
            ms(*d)
        );
    }
    println!(
        "| printable whole cart: `GET /staff/shelf/carts/print` (streamed, {:.1} MB HTML) | {:.0} ms |",
        print_size as f64 / 1e6,
        ms(print)
    );
    println!(
        "| shelf browse: 10 either side of the middle item | {:.1} ms |",
        ms(browse)
    );
    lib.close().await;
    Ok(())
}
