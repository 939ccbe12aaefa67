//! `handover export` and `handover receive`: the recipient's package (docs/cli.md).

use std::path::Path;
use std::process::ExitCode;

use handover_core::store::Actor;
use handover_core::transfer::{self, ReceiptModel};
use handover_core::{Error, Lang};
use serde_json::{json, Value};

use crate::papers::{self, Outputs};
use crate::passphrase_input;
use crate::text::{say, Line};

pub fn export(
    case_path: &Path,
    out: &Path,
    json: bool,
    lang: Lang,
    actor: &Actor,
) -> Result<ExitCode, Error> {
    if out.exists() {
        return Err(Error::FileExists(out.to_path_buf()));
    }
    let case = crate::open(case_path, lang)?;
    // Refuse before asking anything of the owner or generating a passphrase.
    transfer::check_ready(&case)?;
    let passphrase = match passphrase_input::package_from_env() {
        Some(p) => handover_package::passphrase::normalize(&p),
        None => handover_package::passphrase::generate()?,
    };
    let written = handover_package::write(
        out,
        &passphrase,
        |sink| transfer::export(&case, sink),
        |manifest, sha256, size| transfer::record_export(&case, actor, manifest, sha256, size),
    )?;
    case.close()?;
    let m = &written.manifest;
    if json {
        let v = json!({
            "path": written.path.display().to_string(),
            "sha256": written.sha256,
            "size": written.size,
            "customers": m.customers,
            "records": m.records,
            "prepaid_total": m.prepaid_total,
            "fields": m.fields,
            "parts": m.parts.len(),
            "passphrase": passphrase,
        });
        say!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        say!(
            "{}",
            Line::Exported {
                path: &written.path.display().to_string(),
                customers: m.customers,
                records: m.records,
                prepaid_total: &m.prepaid_total,
                sha256: &written.sha256,
            }
            .render(lang)
        );
        say!("{}", Line::PassphraseOnce(&passphrase).render(lang));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn receive(
    new_case: &Path,
    package: &Path,
    outputs: &Outputs,
    json: bool,
    lang: Lang,
    actor: &Actor,
) -> Result<ExitCode, Error> {
    if new_case.exists() {
        return Err(Error::FileExists(new_case.to_path_buf()));
    }
    let passphrase = handover_package::passphrase::normalize(&passphrase_input::for_package(lang)?);
    // Decrypted to the end and checked part by part before anything else happens.
    let verified = handover_package::verify(package, &passphrase)?;
    let case_passphrase = passphrase_input::for_received_case(lang)?;
    let mut replay = handover_package::Replay::new(package, &passphrase, &verified);
    let (case, receipt) =
        transfer::receive(new_case, &case_passphrase, actor, &verified, &mut replay)?;
    // The receipt's files: the case is made whatever happens here.
    let files = match papers::receipt_files(&case, outputs, json, lang, actor)? {
        Ok(f) => f,
        Err(exit) => {
            case.close()?;
            return Ok(exit);
        }
    };
    case.close()?;
    print_receipt(new_case, &receipt, &files, json, lang);
    Ok(ExitCode::SUCCESS)
}

fn print_receipt(path: &Path, r: &ReceiptModel, files: &[Value], json: bool, lang: Lang) {
    if json {
        let v = json!({
            "path": path.display().to_string(),
            "receipt": r,
            "files": files,
        });
        say!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        say!(
            "{}",
            Line::Received {
                path: &path.display().to_string(),
                seller: &r.seller.name,
                customers: r.customers,
                records: r.records,
                prepaid_total: &r.prepaid_total,
                sha256: &r.package_sha256,
            }
            .render(lang)
        );
        papers::print_files(files);
    }
}
