# Every object of every kind the server holds, with its settings
# (include_resource), for `terraform query -generate-config-out=FILE`.

list "jetbackup_destination" "all" {
  provider         = jetbackup
  include_resource = true
}

list "jetbackup_schedule" "all" {
  provider         = jetbackup
  include_resource = true
}

list "jetbackup_account_filter" "all" {
  provider         = jetbackup
  include_resource = true
}

list "jetbackup_backup_job" "all" {
  provider         = jetbackup
  include_resource = true
  # At most this many results per list block (Terraform's default: 100).
  limit = 1000
}

list "jetbackup_hook" "all" {
  provider         = jetbackup
  include_resource = true
}

list "jetbackup_notification_integration" "all" {
  provider         = jetbackup
  include_resource = true
}
