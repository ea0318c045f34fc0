# Leave the accounts of two resellers out of a backup job.
resource "jetbackup_account_filter" "no_resellers" {
  name      = "Not these resellers"
  type      = "resellers"
  condition = "exclude"
  list      = ["reseller1", "reseller2"]
}

# Accounts whose names start with a to m.
resource "jetbackup_account_filter" "a_to_m" {
  name        = "a to m"
  type        = "character_range"
  condition   = "include"
  range_start = "a"
  range_end   = "m"
}

# A job refers to the filters' groups: accounts must match every inner set.
resource "jetbackup_backup_job" "accounts" {
  name        = "Accounts a-m, no resellers"
  type        = "accounts"
  structure   = "incremental"
  destination = ["6503e7a1ebbf07708d06f1c1"]
  filters = [
    [jetbackup_account_filter.no_resellers.group_id],
    [jetbackup_account_filter.a_to_m.group_id],
  ]
}
