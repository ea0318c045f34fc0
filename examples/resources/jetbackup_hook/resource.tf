# Dump the databases before the accounts job backs up.
resource "jetbackup_hook" "dump" {
  name           = "Dump databases first"
  script         = "/root/hooks/dump.sh" # absolute path on the server
  when           = "pre"
  on             = "backup"
  backup_job_ids = ["6504c79fd4b57d536c05bbe2"]
}

# After every reindex of one destination; created disabled until the
# script has been checked by hand.
resource "jetbackup_hook" "after_reindex" {
  name            = "Report reindex"
  script          = "/usr/bin/php /root/hooks/report.php"
  when            = "post"
  on              = "reindex"
  destination_ids = ["6503e7a1ebbf07708d06f1c1"]
  disabled        = true
}
