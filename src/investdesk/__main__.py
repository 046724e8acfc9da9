from investdesk.cli import main

main()
