from mooc_builder.cli import main

main()
