//! `import-users` and `import-errors`: a user import job (the one CreateUserImportJob and
//! StartUserImportJob run) from the operator's shell, with a progress bar on a terminal, and
//! the rows any job refused.
//!
//! The job runs in this process against the store the settings name, so it works beside a
//! running server on the same database: that server's DescribeUserImportJob and
//! ListUserImportJobs show it while it runs. Ctrl-C stops it as StopUserImportJob does (the
//! users of committed batches stay).

use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use userpool::Service;
use userpool::wire::{UserImportJobRequest, UserImportJobType};

use crate::cli::{ImportErrorsArgs, ImportUsersArgs};
use crate::commands::with_service;
use crate::error::{Error, Result};

/// How often the progress bar reads the job's counts.
const POLL: Duration = Duration::from_millis(200);

/// The rows of a CSV file after its header (a quoted field spanning lines makes this an
/// over-estimate, which only the bar's length sees).
fn data_rows(csv: &[u8]) -> u64 {
    let lines = csv
        .split(|b| *b == b'\n')
        .filter(|l| !l.trim_ascii().is_empty());
    (lines.count() as u64).saturating_sub(1)
}

fn bar(rows: u64) -> ProgressBar {
    let bar = ProgressBar::new(rows);
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} [{bar:40}] {pos}/{len} rows · {msg} · {per_sec} · {eta} left",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

fn counts(job: &UserImportJobType) -> String {
    format!(
        "{} imported, {} skipped, {} failed",
        job.imported_users, job.skipped_users, job.failed_users
    )
}

/// `import-users`: creates, uploads and starts a job, follows it to its end, prints the
/// outcome and the refused rows. Exits 1 unless the job `Succeeded`.
pub async fn import_users(args: &ImportUsersArgs) -> Result<()> {
    let csv = std::fs::read(&args.file)
        .map_err(Error::io(format!("cannot read {}", args.file.display())))?;
    with_service(&args.common, async |service| {
        run_job(service, args, csv).await
    })
    .await
}

async fn run_job(service: &Service, args: &ImportUsersArgs, csv: Vec<u8>) -> Result<()> {
    let admin = service.admin();
    let name = args.job_name.clone().unwrap_or_else(|| {
        let file = args
            .file
            .file_name()
            .map(|f| f.to_string_lossy().into_owned());
        let mut name = file.unwrap_or_else(|| "import".into());
        name.truncate(128);
        name
    });
    let request = |job_id: Option<String>| UserImportJobRequest {
        user_pool_id: args.pool.clone(),
        job_name: Some(name.clone()),
        job_id,
        cloud_watch_logs_role_arn: None,
    };
    let rows = data_rows(&csv);
    let job = admin
        .create_user_import_job(request(None))
        .await?
        .user_import_job;
    let id = job.job_id;
    admin.upload_user_import_csv(&args.pool, &id, csv).await?;
    admin
        .start_user_import_job(request(Some(id.clone())))
        .await?;
    let bar = bar(rows);
    let mut interrupted = false;
    let job = loop {
        let job = admin
            .describe_user_import_job(request(Some(id.clone())))
            .await?
            .user_import_job;
        bar.set_position(job.imported_users + job.skipped_users + job.failed_users);
        bar.set_message(counts(&job));
        if !matches!(job.status.as_str(), "InProgress" | "Stopping" | "Pending") {
            break job;
        }
        tokio::select! {
            () = tokio::time::sleep(POLL) => {}
            signal = tokio::signal::ctrl_c(), if !interrupted => {
                if signal.is_ok() {
                    interrupted = true;
                    bar.println("stopping: the batch in progress finishes first");
                    // A job that ended meanwhile cannot stop; the next read shows its end.
                    let _ = admin.stop_user_import_job(request(Some(id.clone()))).await;
                }
            }
        }
    };
    bar.finish_and_clear();
    println!(
        "job {id} into {}: {} — {}",
        args.pool,
        job.status,
        counts(&job)
    );
    if let Some(message) = &job.completion_message {
        println!("{message}");
    }
    print_errors(service, &args.pool, &id, args.show_errors).await?;
    if job.status == "Succeeded" {
        Ok(())
    } else {
        Err(Error::CheckFailed(format!(
            "the import job ended {}",
            job.status
        )))
    }
}

/// Prints up to `limit` refused rows of a job, and how many there were.
async fn print_errors(service: &Service, pool: &str, job: &str, limit: usize) -> Result<()> {
    let errors = service
        .admin()
        .list_user_import_job_errors(UserImportJobRequest {
            user_pool_id: pool.to_owned(),
            job_name: None,
            job_id: Some(job.to_owned()),
            cloud_watch_logs_role_arn: None,
        })
        .await?;
    for e in errors.errors.iter().take(limit) {
        println!("line {}: {}", e.line, e.message);
    }
    let shown = errors.errors.len().min(limit) as u64;
    if errors.failed_users > shown {
        println!(
            "{} refused row(s) not shown ({} kept with the job; see import-errors)",
            errors.failed_users - shown,
            errors.errors.len()
        );
    }
    Ok(())
}

/// `import-errors`: the rows a job refused, with their line and reason.
pub async fn import_errors(args: &ImportErrorsArgs) -> Result<()> {
    with_service(&args.common, async |service| {
        print_errors(service, &args.pool, &args.job, usize::MAX).await
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::data_rows;

    #[test]
    fn data_rows_skip_the_header_and_blank_lines() {
        assert_eq!(data_rows(b""), 0);
        assert_eq!(data_rows(b"name,email\n"), 0);
        assert_eq!(data_rows(b"name,email\r\na,b\r\n\r\nc,d"), 2);
    }
}
