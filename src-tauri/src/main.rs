// Without this a release build on Windows would open a console window beside the app.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

// The import's reading thread allocates what its writing thread frees; glibc's malloc serialises those
// frees on an arena lock, mimalloc does not (see the workspace Cargo.toml).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // Before Tauri or GTK starts: a workbook-reader child serves its request and exits here; otherwise
    // workbooks are read in such children, under an address-space limit (handover_core::import::child).
    handover_core::import::sheet_reader_start_up();
    // As the CLI does (see its `no_huge_pages`): only the memory used is zeroed and counted.
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
    handover_app::run();
}
