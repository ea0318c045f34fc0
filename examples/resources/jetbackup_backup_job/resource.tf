# Nightly incremental backup of every account, kept 7 days and 4 weeks,
# to two destinations.
resource "jetbackup_backup_job" "accounts_nightly" {
  name        = "Nightly accounts"
  type        = "accounts"
  structure   = "incremental"
  destination = ["6503eec8ebbf07708d06f1d2", "6136645f99b3fd3b3f07e902"]

  # Omit contains to back up everything (511).
  contains     = ["config", "homedir", "databases", "email", "cron", "dns", "ssl"]
  exclude_list = [".MirrorSearch", "*/.wysiwygPro_*", "*/core.[0-9]*"]
  retry_failed = true
  time         = "0230"

  # Accounts in group A or B, and in group C.
  filters = [
    ["617355f0c255bc71ee70f393", "61735fe403a9b8200d6996b3"],
    ["61737c0a29c3e916132b2b93"],
  ]

  schedules {
    id     = "613f60409129f94ae3631d22"
    retain = 7
  }
  schedules {
    id     = "613f60409129f94ae3631d23"
    retain = 4
  }

  monitor {
    ranfor = 1
    notran = 2
  }
}

# Server configuration directories, archived weekly.
resource "jetbackup_backup_job" "etc_weekly" {
  name         = "Weekly /etc"
  type         = "directories"
  structure    = "archived"
  destination  = ["6503eec8ebbf07708d06f1d2"]
  include_list = ["/etc", "/var/named"]
  exclude_list = ["/etc/ssl/private"]
  disabled     = false

  schedules {
    id     = "613f60409129f94ae3631d23"
    retain = 8
  }
}
