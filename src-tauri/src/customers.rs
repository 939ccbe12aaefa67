//! Commands of the customer table several steps show: a page of customers (masked), and how many match.

use handover_core::customer_table::{self, CustomerFilter, CustomerPage, PageRequest};
use tauri::State;

use crate::commands::CmdResult;
use crate::state::AppState;

#[tauri::command]
pub async fn customer_page(
    state: State<'_, AppState>,
    filter: CustomerFilter,
    page: PageRequest,
) -> CmdResult<CustomerPage> {
    state.with_case(|case| case.read(|c| customer_table::customer_page(c, &filter, page)))
}

#[tauri::command]
pub async fn customer_count(state: State<'_, AppState>, filter: CustomerFilter) -> CmdResult<u64> {
    state.with_case(|case| case.read(|c| customer_table::customer_count(c, &filter)))
}
