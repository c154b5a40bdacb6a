; stamp.nsi — Stamp's Windows installer, built on Debian by scripts/dist.sh:
;
;   makensis -DVERSION=0.1.0 -DBUILD=1 -DSRC=DIR -DOUTFILE=Stamp-0.1.0-setup.exe stamp.nsi
;
; DIR holds Stamp.exe and stamp-send.exe. The installer needs no administrator
; rights: everything goes to the person's own profile and HKCU.
;
;   %LocalAppData%\Programs\Stamp   Stamp.exe, stamp-send.exe, Uninstall.exe
;   Start menu                       Stamp
;   Send to                          Stamp ("Send with Stamp": the files are attached)
;   HKCU\Software\Classes\Stamp.mailto                    the mailto: URL handler
;   HKCU\Software\Stamp\Capabilities (+ RegisteredApplications)   Stamp in Default Apps
;   HKCU\...\Uninstall\Stamp         the entry in Apps & features
;
; Windows 10 and 11 let only the person choose the default mail app: the
; finish page offers to open Settings > Default apps with Stamp listed.
; The uninstaller removes all of the above; the person's drafts, Sent folder
; and settings (%LocalAppData%\Stamp, %AppData%\Stamp) stay unless they ask.

Unicode true
!include "MUI2.nsh"
!include "FileFunc.nsh"

!ifndef VERSION
  !error "pass -DVERSION=X.Y.Z"
!endif
!ifndef BUILD
  !define BUILD 0
!endif
!ifndef SRC
  !error "pass -DSRC=folder with Stamp.exe and stamp-send.exe"
!endif
!ifndef OUTFILE
  !define OUTFILE "Stamp-${VERSION}-setup.exe"
!endif

!define APP "Stamp"
!define PROGID "Stamp.mailto"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Stamp"
!define CAPS_KEY "Software\Stamp\Capabilities"

Name "${APP}"
OutFile "${OUTFILE}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\Stamp"
InstallDirRegKey HKCU "Software\Stamp" "InstallDir"
SetCompressor /SOLID lzma
ShowInstDetails show
ShowUninstDetails show

VIProductVersion "${VERSION}.${BUILD}"
VIAddVersionKey "ProductName" "${APP}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}.${BUILD}"
VIAddVersionKey "FileDescription" "Stamp mail composer setup"
VIAddVersionKey "LegalCopyright" "Stamp contributors"

!define MUI_ICON "stamp.ico"
!define MUI_UNICON "stamp.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\Stamp.exe"
!define MUI_FINISHPAGE_RUN_TEXT "$(StartStamp)"
; The second finish-page box opens Default apps, where the person picks Stamp
; for email links (Windows does not let a program choose itself).
!define MUI_FINISHPAGE_SHOWREADME ""
!define MUI_FINISHPAGE_SHOWREADME_NOTCHECKED
!define MUI_FINISHPAGE_SHOWREADME_TEXT "$(ChooseDefault)"
!define MUI_FINISHPAGE_SHOWREADME_FUNCTION OpenDefaultApps

!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
; The installer speaks the language of Windows' display when it is one of
; these (NSIS picks it at start; English otherwise). Stamp's own strings are
; LangStrings below, one per language.
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "SimpChinese"

LangString StartStamp ${LANG_ENGLISH} "Start Stamp"
LangString StartStamp ${LANG_SIMPCHINESE} "启动 Stamp"
LangString ChooseDefault ${LANG_ENGLISH} "Choose Stamp for email (mailto:) links in Settings"
LangString ChooseDefault ${LANG_SIMPCHINESE} "在“设置”中选择用 Stamp 打开电子邮件（mailto:）链接"
LangString ShortcutDesc ${LANG_ENGLISH} "Write and send a mail message"
LangString ShortcutDesc ${LANG_SIMPCHINESE} "撰写并发送邮件"
LangString SendToDesc ${LANG_ENGLISH} "Attach the files to a new message in Stamp"
LangString SendToDesc ${LANG_SIMPCHINESE} "在 Stamp 中把这些文件添加为新邮件的附件"
LangString LinkType ${LANG_ENGLISH} "Stamp mailto: link"
LangString LinkType ${LANG_SIMPCHINESE} "Stamp mailto: 链接"
LangString AppDesc ${LANG_ENGLISH} "Write a message, attach files, and watch it being sent over SMTP"
LangString AppDesc ${LANG_SIMPCHINESE} "撰写邮件、添加附件，并实时查看邮件通过 SMTP 发送的过程"
LangString AlsoDelete ${LANG_ENGLISH} "Also delete your drafts, Sent messages, sandbox inbox and account settings?$\r$\n$\r$\n$LOCALAPPDATA\Stamp$\r$\n$APPDATA\Stamp$\r$\n$\r$\nChoose No to keep them."
LangString AlsoDelete ${LANG_SIMPCHINESE} "同时删除你的草稿、已发送邮件、沙盒收件箱和账户设置吗？$\r$\n$\r$\n$LOCALAPPDATA\Stamp$\r$\n$APPDATA\Stamp$\r$\n$\r$\n选择“否”可保留它们。"

Function .onInit
  SetShellVarContext current
FunctionEnd

Function un.onInit
  SetShellVarContext current
FunctionEnd

Function OpenDefaultApps
  ExecShell "open" "ms-settings:defaultapps?registeredAppUser=Stamp"
FunctionEnd

Section "Stamp" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  File "${SRC}\Stamp.exe"
  File "${SRC}\stamp-send.exe"
  WriteUninstaller "$INSTDIR\Uninstall.exe"
  WriteRegStr HKCU "Software\Stamp" "InstallDir" "$INSTDIR"

  CreateShortcut "$SMPROGRAMS\Stamp.lnk" "$INSTDIR\Stamp.exe" "" "$INSTDIR\Stamp.exe" 0 SW_SHOWNORMAL "" "$(ShortcutDesc)"
  ; "Send to > Stamp": Explorer passes the chosen files as arguments.
  CreateShortcut "$SENDTO\Stamp.lnk" "$INSTDIR\Stamp.exe" "" "$INSTDIR\Stamp.exe" 0 SW_SHOWNORMAL "" "$(SendToDesc)"

  ; The mailto: handler: a URL protocol class Default apps can point at.
  WriteRegStr HKCU "Software\Classes\${PROGID}" "" "$(LinkType)"
  WriteRegStr HKCU "Software\Classes\${PROGID}" "URL Protocol" ""
  WriteRegStr HKCU "Software\Classes\${PROGID}" "FriendlyTypeName" "$(LinkType)"
  WriteRegStr HKCU "Software\Classes\${PROGID}\DefaultIcon" "" "$INSTDIR\Stamp.exe,0"
  ; --url takes exactly one argument: a link whose raw quote breaks out of
  ; "%1" into more arguments (a file to attach, a flag) is refused.
  WriteRegStr HKCU "Software\Classes\${PROGID}\shell\open\command" "" '"$INSTDIR\Stamp.exe" --url "%1"'
  ; Stamp in Default apps (Settings > Apps > Default apps > Stamp).
  WriteRegStr HKCU "${CAPS_KEY}" "ApplicationName" "Stamp"
  WriteRegStr HKCU "${CAPS_KEY}" "ApplicationDescription" "$(AppDesc)"
  WriteRegStr HKCU "${CAPS_KEY}" "ApplicationIcon" "$INSTDIR\Stamp.exe,0"
  WriteRegStr HKCU "${CAPS_KEY}\URLAssociations" "mailto" "${PROGID}"
  WriteRegStr HKCU "Software\RegisteredApplications" "Stamp" "${CAPS_KEY}"
  ; "Open with" knows Stamp by its exe.
  WriteRegStr HKCU "Software\Classes\Applications\Stamp.exe" "FriendlyAppName" "Stamp"
  WriteRegStr HKCU "Software\Classes\Applications\Stamp.exe\shell\open\command" "" '"$INSTDIR\Stamp.exe" --url "%1"'

  ; Apps & features.
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "Stamp"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "Stamp contributors"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\Stamp.exe,0"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "URLInfoAbout" "https://github.com/stamp-mail/stamp"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\Uninstall.exe"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\Uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" "$0"
  ; Tell Explorer that associations changed (SHCNE_ASSOCCHANGED).
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
SectionEnd

Section "Uninstall"
  Delete "$INSTDIR\Stamp.exe"
  Delete "$INSTDIR\stamp-send.exe"
  Delete "$INSTDIR\Uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\Stamp.lnk"
  Delete "$SENDTO\Stamp.lnk"

  DeleteRegKey HKCU "Software\Classes\${PROGID}"
  DeleteRegKey HKCU "Software\Classes\Applications\Stamp.exe"
  DeleteRegValue HKCU "Software\RegisteredApplications" "Stamp"
  DeleteRegKey HKCU "Software\Stamp"
  DeleteRegKey HKCU "${UNINST_KEY}"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'

  ; The person's messages and settings stay unless they ask (a silent
  ; uninstall, /S, keeps them). Saved passwords live in Windows Credential
  ; Manager under "stamp" and are not touched.
  MessageBox MB_YESNO|MB_ICONQUESTION|MB_DEFBUTTON2 "$(AlsoDelete)" /SD IDNO IDNO keep
  RMDir /r "$LOCALAPPDATA\Stamp"
  RMDir /r "$APPDATA\Stamp"
  RMDir /r "$APPDATA\fyne\app.stampmail.stamp"
keep:
SectionEnd
