import {
  to = jetbackup_destination.local
  id = "6503e7a1ebbf07708d06f1c1"
}
