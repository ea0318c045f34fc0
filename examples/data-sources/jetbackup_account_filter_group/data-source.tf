# Look an account filter group up by its exact name (case-sensitive): a
# backup job's `filters` lists group IDs.
data "jetbackup_account_filter_group" "resellers" {
  name = "Resellers"
}

output "resellers" {
  value = {
    id         = data.jetbackup_account_filter_group.resellers.id
    filter_ids = data.jetbackup_account_filter_group.resellers.filter_ids
    job_count  = data.jetbackup_account_filter_group.resellers.job_count
  }
}
